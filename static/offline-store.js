// @ts-check
// What the registers kept on this device share (issue 12): the IndexedDB database `registers`
// (the kept registers by key, the queue of changes by client id, indexed by key), the page cache
// `registers` the service worker serves from, and the 7-day lifetime. A named register is kept
// under its session id; a headcount or workstation register, or a day page, under its page's
// path, with `path`, `kind` and `title` beside its data. Used by /register-offline.js,
// /counts-offline.js, /log-day-offline.js and /day-offline.js, which take from here too what
// their panels do alike (notices, error summaries, the keep and remove buttons, sending the
// queue); signing out clears all of it (Clear-Site-Data).
(function () {
	if (!('indexedDB' in window) || !('caches' in window)) return;
	const KEEP_FOR_MS = 7 * 86_400_000;
	const PAGES = 'registers';

	/** @type {Promise<IDBDatabase> | undefined} */
	let opened;
	/** The database at whatever version it is; made (at version 1) when there is none yet. */
	function database() {
		opened ??= new Promise((resolve, reject) => {
			const request = indexedDB.open('registers');
			request.onupgradeneeded = () => {
				if (request.result.objectStoreNames.contains('registers')) return;
				request.result.createObjectStore('registers', { keyPath: 'sessionId' });
				request.result.createObjectStore('queue', { keyPath: 'clientId' }).createIndex('sessionId', 'sessionId');
			};
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
		});
		return opened;
	}

	/** @template T @param {IDBRequest<T>} request @returns {Promise<T>} */
	function result(request) {
		return new Promise((resolve, reject) => {
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
		});
	}

	/**
	 * Runs `work` in one transaction and resolves with what it returned once that has committed.
	 * @template T @param {string[]} stores @param {IDBTransactionMode} mode @param {(t: IDBTransaction) => Promise<T>} work @returns {Promise<T>}
	 */
	async function inTransaction(stores, mode, work) {
		const db = await database();
		return new Promise((resolve, reject) => {
			const t = db.transaction(stores, mode);
			/** @type {T} */
			let value;
			work(t).then((v) => (value = v), reject);
			t.oncomplete = () => resolve(value);
			t.onerror = t.onabort = () => reject(t.error);
		});
	}

	/** @param {string} key @returns {Promise<any>} */
	const findKept = (key) => inTransaction(['registers'], 'readonly', (t) => result(t.objectStore('registers').get(key)));
	/** @returns {Promise<any[]>} */
	const allKept = () => inTransaction(['registers'], 'readonly', (t) => result(t.objectStore('registers').getAll()));
	/** @param {any} entry */
	const putKept = (entry) =>
		inTransaction(['registers'], 'readwrite', async (t) => {
			t.objectStore('registers').put(entry);
		});
	/** @param {string} key @returns {Promise<any[]>} */
	const queued = (key) => inTransaction(['queue'], 'readonly', (t) => result(t.objectStore('queue').index('sessionId').getAll(key)));
	/** @param {string[]} clientIds */
	const unqueue = (clientIds) =>
		inTransaction(['queue'], 'readwrite', async (t) => {
			for (const id of clientIds) t.objectStore('queue').delete(id);
		});

	/** The page a kept register opens at. @param {{ sessionId: string, path?: string }} entry */
	const pathOf = (entry) => entry.path ?? `/sessions/${entry.sessionId}/register`;

	/** Removes a kept register, its queue and its page. @param {{ sessionId: string, path?: string }} entry */
	async function removeKept(entry) {
		await inTransaction(['registers', 'queue'], 'readwrite', async (t) => {
			t.objectStore('registers').delete(entry.sessionId);
			const queue = t.objectStore('queue');
			for (const key of await result(queue.index('sessionId').getAllKeys(entry.sessionId))) queue.delete(key);
		});
		await (await caches.open(PAGES)).delete(pathOf(entry));
	}

	/** Nothing is kept longer than 7 days from when it was kept, nor any change queued longer ago. */
	async function removeExpired() {
		const now = Date.now();
		for (const old of (await allKept()).filter((k) => now - k.keptAt > KEEP_FOR_MS)) await removeKept(old);
		await inTransaction(['queue'], 'readwrite', async (t) => {
			const queue = t.objectStore('queue');
			for (const change of await result(queue.getAll())) if (now - change.queuedAt > KEEP_FOR_MS) queue.delete(change.clientId);
		});
	}

	/** The page as the server sends it now, kept for opening without a connection. @param {string} path */
	async function keepPage(path) {
		const response = await fetch(path, { credentials: 'same-origin' });
		if (!response.ok || response.redirected) throw new Error(`page ${response.status}`);
		const headers = new Headers({ 'content-type': response.headers.get('content-type') ?? 'text/html' });
		const policy = response.headers.get('content-security-policy');
		if (policy) headers.set('content-security-policy', policy);
		await (await caches.open(PAGES)).put(path, new Response(await response.blob(), { headers }));
	}

	/** A register's data as the server has it now. @param {string} url */
	async function download(url) {
		const response = await fetch(url, { headers: { accept: 'application/json' } });
		if (!response.ok || response.redirected) throw new Error(`manifest ${response.status}`);
		return response.json();
	}

	/** The service worker that serves kept pages without a connection, once it is running. */
	async function startWorker() {
		await navigator.serviceWorker.register('/service-worker.js');
		await navigator.serviceWorker.ready;
	}

	const plural = (/** @type {number} */ n, /** @type {string} */ one, /** @type {string} */ many) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
	const keptUntil = (/** @type {number} */ keptAt) =>
		new Date(keptAt + KEEP_FOR_MS).toLocaleDateString('en-GB', { weekday: 'long', day: 'numeric', month: 'long' });

	// What the pages that keep themselves on this device (/register-offline.js, /counts-offline.js,
	// /log-day-offline.js) show alike: their panel's parts, its notices and error summaries.

	const BATCH = 200;

	const paragraph = (/** @type {string} */ text, className = 'govuk-body') => Object.assign(document.createElement('p'), { className, textContent: text });

	/**
	 * The panel's parts, by the ids every kept page gives them; `say` puts a notice in its live
	 * region (an inset, or a warning), `tell` replaces what its report says.
	 */
	function panelParts() {
		const live = /** @type {HTMLElement} */ (document.getElementById('offline-live'));
		const report = /** @type {HTMLElement} */ (document.getElementById('offline-report'));
		return {
			keepButton: /** @type {HTMLButtonElement} */ (document.getElementById('offline-keep')),
			forgetButton: /** @type {HTMLButtonElement} */ (document.getElementById('offline-forget')),
			state: /** @type {HTMLElement} */ (document.getElementById('offline-state')),
			live,
			report,
			/** @param {string} text @param {'inset' | 'warning'} style */
			say(text, style = 'inset') {
				live.replaceChildren();
				if (!text) return;
				const box = document.createElement('div');
				box.className = style === 'inset' ? 'govuk-inset-text govuk-!-margin-top-0' : 'govuk-warning-text';
				if (style === 'warning') {
					box.innerHTML =
						'<span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span></strong>';
					box.querySelector('strong')?.append(text);
				} else box.textContent = text;
				live.append(box);
			},
			/** @param {Node[]} nodes */
			tell(...nodes) {
				report.replaceChildren(...nodes);
			},
			/**
			 * Says how a send went: `sent` (how many) in bold, the `conflicts`, then the `problem`;
			 * the report stays as it was when there is none of these.
			 * @param {string | undefined} sent @param {Node | undefined} conflicts @param {Node | undefined} problem
			 */
			tellSent(sent, conflicts, problem) {
				const nodes = [];
				if (sent) nodes.push(paragraph(sent, 'govuk-body govuk-!-font-weight-bold'));
				if (conflicts) nodes.push(conflicts);
				if (problem) nodes.push(problem);
				if (nodes.length > 0) report.replaceChildren(...nodes);
			}
		};
	}

	/**
	 * A refusal from the server: the queue kept under `key` stays until the lead discards it with
	 * the button, which empties it, says so, then brings the page up to date (`pull`, then
	 * `showConnection`).
	 * @param {{ things: string, message: string, key: string, tell: (...nodes: Node[]) => void, pull: () => Promise<unknown>, showConnection: () => Promise<unknown> }} notice
	 */
	function notSentNotice({ things, message, key, tell, pull, showConnection }) {
		const box = document.createElement('div');
		box.className = 'govuk-error-summary';
		box.innerHTML = `<div role="alert"><h2 class="govuk-error-summary__title">The ${things} kept on this device were not sent</h2><div class="govuk-error-summary__body"><p class="govuk-body"></p></div></div>`;
		/** @type {HTMLElement} */ (box.querySelector('p')).textContent = message;
		const button = document.createElement('button');
		button.type = 'button';
		button.className = 'govuk-button govuk-button--warning govuk-!-margin-bottom-0';
		button.textContent = `Discard the ${things} not sent`;
		button.addEventListener('click', async () => {
			await unqueue((await queued(key)).map((change) => change.clientId));
			tell(paragraph(`The ${things} not sent were discarded.`));
			await pull().catch(() => undefined);
			await showConnection();
		});
		box.querySelector('.govuk-error-summary__body')?.append(button);
		return box;
	}

	/** A form's problems in an error summary, each linking to its field; nothing is queued. @param {[string, string][]} found the field's id and the message */
	function problemSummary(found) {
		const box = document.createElement('div');
		box.className = 'govuk-error-summary';
		box.innerHTML =
			'<div role="alert"><h2 class="govuk-error-summary__title">There is a problem</h2><div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list"></ul></div></div>';
		const list = /** @type {HTMLElement} */ (box.querySelector('ul'));
		for (const [id, message] of found) {
			const item = document.createElement('li');
			item.append(Object.assign(document.createElement('a'), { href: `#${id}`, textContent: message }));
			list.append(item);
		}
		return box;
	}

	/** The banner that lists what someone else changed first, under `heading`; the conflicts go in `list`. @param {string} heading */
	function conflictBanner(heading) {
		const box = document.createElement('div');
		box.className = 'govuk-notification-banner';
		box.setAttribute('role', 'region');
		box.setAttribute('aria-labelledby', 'offline-conflicts-title');
		box.innerHTML =
			'<div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="offline-conflicts-title">Important</h2></div><div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading"></p><ul class="govuk-list"></ul></div>';
		/** @type {HTMLElement} */ (box.querySelector('p')).textContent = heading;
		return { box, list: /** @type {HTMLElement} */ (box.querySelector('ul')) };
	}

	/**
	 * A button of one conflict ("Keep theirs", "Use yours"), named for screen readers with
	 * `hidden` after `text`: it runs `act`, then the conflict goes from the banner (the banner too
	 * when it was the last) and the report takes focus.
	 * @param {string} text @param {string} hidden @param {{ item: HTMLElement, list: HTMLElement, box: HTMLElement, report: HTMLElement }} where @param {() => Promise<unknown>} act
	 */
	function conflictButton(text, hidden, { item, list, box, report }, act) {
		const b = document.createElement('button');
		b.type = 'button';
		b.className = 'govuk-button govuk-button--secondary govuk-!-margin-bottom-0 govuk-!-margin-right-2';
		b.innerHTML = `${text}<span class="govuk-visually-hidden"></span>`;
		/** @type {HTMLElement} */ (b.lastChild).textContent = hidden;
		b.addEventListener('click', async () => {
			await act();
			item.remove();
			if (list.children.length === 0) box.remove();
			report.focus();
		});
		return b;
	}

	/**
	 * Sends `pending` to `url` in batches of 200, each as `{ changes: pending.map(toJson) }`, until
	 * one is refused; `answered` reads each batch's answer before the batch leaves the queue. A
	 * connection lost on the way is no problem: what was not answered stays queued.
	 * @template C @param {{ pending: (C & { clientId: string })[], url: string, toJson: (change: C) => unknown, place: string, things: string, sending?: Set<string>, answered: (batch: C[], body: any) => void }} send
	 * @returns {Promise<string | undefined>} the refusal to show, if any
	 */
	async function sendQueue({ pending, url, toJson, place, things, sending, answered }) {
		/** @type {string | undefined} */
		let problem;
		try {
			for (let i = 0; i < pending.length && !problem; i += BATCH) {
				const batch = pending.slice(i, i + BATCH);
				for (const c of batch) sending?.add(c.clientId);
				const response = await fetch(url, {
					method: 'POST',
					headers: { 'content-type': 'application/json', accept: 'application/json' },
					body: JSON.stringify({ changes: batch.map(toJson) })
				});
				if (response.redirected) problem = `You are signed out: sign in again, then open this ${place} to send the ${things} kept on this device.`;
				else if (!response.ok) problem = (await response.json().catch(() => ({}))).message ?? `The ${things} could not be sent. Try again later.`;
				else {
					answered(batch, await response.json());
					await unqueue(batch.map((c) => c.clientId));
				}
			}
		} catch {
			// No connection after all (or it dropped mid-way): what was not answered stays queued.
			problem = undefined;
		}
		return problem;
	}

	/**
	 * The panel's two buttons. "Keep this <place> on this device" starts the service worker, runs
	 * `pull` (the page's data downloaded and kept) and keeps the page; `showKept` shows it kept.
	 * "Remove" asks first when `waiting` changes would be lost (`question`), removes it all and
	 * runs `forgotten`. `after` runs after either.
	 * @param {{ parts: ReturnType<typeof panelParts>, place: string, entry: { sessionId: string, path: string }, pull: () => Promise<unknown>, showKept: (on: boolean) => void, problemNotice: (message: string) => Node, question: (waiting: number) => string, forgotten: () => void, afterKeep?: () => Promise<unknown>, afterForget: () => Promise<unknown> }} buttons
	 */
	function keepButtons({ parts, place, entry, pull, showKept, problemNotice, question, forgotten, afterKeep, afterForget }) {
		const { keepButton, forgetButton, state, tell } = parts;
		keepButton.addEventListener('click', async () => {
			keepButton.disabled = true;
			tell(paragraph(`Keeping this ${place} on this device…`));
			try {
				await startWorker();
				await pull();
				await keepPage(entry.path);
				showKept(true);
				tell(paragraph(`This ${place} is now kept on this device.`, 'govuk-body govuk-!-font-weight-bold'));
				keepButton.disabled = false;
				forgetButton.focus();
			} catch {
				keepButton.disabled = false;
				await removeKept(entry).catch(() => undefined);
				tell(problemNotice(`This ${place} could not be kept on this device. Check the connection and try again.`));
			}
			await afterKeep?.();
		});

		forgetButton.addEventListener('click', async () => {
			const waiting = (await queued(entry.sessionId)).length;
			if (waiting > 0 && !confirm(question(waiting))) return;
			await removeKept(entry);
			forgotten();
			showKept(false);
			state.textContent = `This ${place} is no longer kept on this device.`;
			tell();
			keepButton.focus();
			await afterForget();
		});
	}

	/** Back online, the connection is shown and, kept, the queue is sent; offline, shown. @param {() => Promise<unknown>} showConnection @param {() => boolean} kept @param {() => Promise<unknown>} push */
	function onConnection(showConnection, kept, push) {
		window.addEventListener('online', () => {
			void showConnection();
			if (kept()) void push();
		});
		window.addEventListener('offline', () => void showConnection());
	}

	/** @type {any} */ (window).offlineRegisters = {
		KEEP_FOR_MS,
		inTransaction,
		result,
		findKept,
		allKept,
		putKept,
		queued,
		unqueue,
		pathOf,
		removeKept,
		removeExpired,
		keepPage,
		download,
		startWorker,
		plural,
		keptUntil,
		paragraph,
		panelParts,
		notSentNotice,
		problemSummary,
		conflictBanner,
		conflictButton,
		sendQueue,
		keepButtons,
		onConnection
	};
	// A page the app rendered in the browser inserts its scripts without `defer`'s order: those
	// that need this one wait for it.
	window.dispatchEvent(new Event('offline-registers'));
})();
