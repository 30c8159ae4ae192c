// @ts-check
// A named register kept on this device, for a day without signal (issue 12). The lead chooses
// "Keep this register on this device": the register's manifest (its rows, marks and versions)
// goes into IndexedDB and the page into the service worker's cache. Marked on the device, each
// change is queued with an id made here; when the connection returns the queue is sent to
// /sessions/<id>/register/sync, which applies each id once, then the manifest is downloaded
// again to show what others changed. A mark someone else changed meanwhile comes back as a
// conflict, shown with "use yours". Kept registers go after 7 days, and signing out clears
// everything (Clear-Site-Data). Without scripts, or without IndexedDB or service workers, the
// page is the plain form it always was. Plain IndexedDB, not a library: this file is served as
// it is, unbundled, as the Content Security Policy allows.
(function () {
	const panel = /** @type {HTMLElement | null} */ (document.getElementById('offline-register'));
	const form = /** @type {HTMLFormElement | null} */ (document.getElementById('register'));
	if (!panel || !form) return;
	if (!window.isSecureContext || !('serviceWorker' in navigator) || !('indexedDB' in window) || !('caches' in window)) {
		panel.hidden = true;
		return;
	}

	const sessionId = location.pathname.split('/')[2] ?? '';
	const pagePath = `/sessions/${sessionId}/register`;
	const KEEP_FOR_MS = 7 * 86_400_000;
	const PAGES = 'registers';
	const BATCH = 200;
	/** @type {Record<string, string>} status to the one-letter code the form sends */
	const codes = JSON.parse(panel.dataset.codes ?? '{}');
	/** @type {Record<string, string>} */
	const statusOf = Object.fromEntries(Object.entries(codes).map(([status, code]) => [code, status]));

	/**
	 * @typedef {{ id: string, select: HTMLSelectElement, status: string | null, version: number | null }} Row
	 * @typedef {{ id: string, name: string, school: string, status: string | null, version: number | null }} ManifestRow
	 * @typedef {{ sessionId: string, keptAt: number, fetchedAt: string, labels: Record<string, string>, rows: ManifestRow[] }} Kept
	 * @typedef {{ clientId: string, sessionId: string, youngPersonId: string, status: string, basedOn: number | null, queuedAt: number }} Change
	 * @typedef {{ youngPersonId: string, firstName?: string, lastName?: string, theirs: string, by?: string | null, at?: string, version: number, yours: string }} Conflict
	 */

	// Each row of the page, from the form's `base` field: `<id>.<code>.<version>` in row order.
	const base = /** @type {HTMLInputElement} */ (form.querySelector('input[name="base"]'));
	/** @type {Row[]} */
	// The selects found in one pass: one query per row took 0.3 s on an 802-name register on a slow tablet.
	const selects = new Map([...form.querySelectorAll('select[name^="m"]')].map((select) => [/** @type {HTMLSelectElement} */ (select).name, select]));
	const rows = base.value.split(' ').map((entry, i) => {
		const [id = '', code = '', version = ''] = entry.split('.');
		const select = /** @type {HTMLSelectElement} */ (selects.get(`m${i}`));
		return { id, select, status: statusOf[code] ?? null, version: version ? Number(version) : null };
	});
	const rowOf = new Map(rows.map((row) => [row.id, row]));
	const rowOfSelect = new Map(rows.map((row) => [row.select, row]));

	const keepButton = /** @type {HTMLButtonElement} */ (document.getElementById('offline-keep'));
	const forgetButton = /** @type {HTMLButtonElement} */ (document.getElementById('offline-forget'));
	const state = /** @type {HTMLElement} */ (document.getElementById('offline-state'));
	const live = /** @type {HTMLElement} */ (document.getElementById('offline-live'));
	const report = /** @type {HTMLElement} */ (document.getElementById('offline-report'));
	let kept = false;
	let pushing = false;
	/** Set while the page's selects are changed from stored marks, so those are not queued as changes. */
	let applying = false;
	/** @type {Kept | undefined} */
	let manifest;

	// IndexedDB, through two small helpers: database `registers`, with the kept registers by
	// session and the queue of changes by client id (indexed by session).

	/** @type {Promise<IDBDatabase> | undefined} */
	let opened;
	function database() {
		opened ??= new Promise((resolve, reject) => {
			const request = indexedDB.open('registers', 1);
			request.onupgradeneeded = () => {
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

	/** @param {string} id @returns {Promise<Kept | undefined>} */
	const findKept = (id) => inTransaction(['registers'], 'readonly', (t) => result(t.objectStore('registers').get(id)));
	/** @param {string} id @returns {Promise<Change[]>} */
	const queued = (id) => inTransaction(['queue'], 'readonly', (t) => result(t.objectStore('queue').index('sessionId').getAll(id)));

	/** Queues a change, replacing any change to the same young person not yet sent; none when it is the mark already known. @param {Row} row @param {string} status */
	function enqueue(row, status) {
		return inTransaction(['queue'], 'readwrite', async (t) => {
			const store = t.objectStore('queue');
			for (const earlier of /** @type {Change[]} */ (await result(store.index('sessionId').getAll(sessionId)))) {
				if (earlier.youngPersonId === row.id && !sending.has(earlier.clientId)) store.delete(earlier.clientId);
			}
			if (status !== row.status) {
				store.put({ clientId: crypto.randomUUID(), sessionId, youngPersonId: row.id, status, basedOn: row.version, queuedAt: Date.now() });
			}
		});
	}

	/** @param {string[]} clientIds */
	const unqueue = (clientIds) =>
		inTransaction(['queue'], 'readwrite', async (t) => {
			for (const id of clientIds) t.objectStore('queue').delete(id);
		});

	/** Removes a kept register, its queue and its page. @param {string} id */
	async function removeKept(id) {
		await inTransaction(['registers', 'queue'], 'readwrite', async (t) => {
			t.objectStore('registers').delete(id);
			const queue = t.objectStore('queue');
			for (const key of await result(queue.index('sessionId').getAllKeys(id))) queue.delete(key);
		});
		await (await caches.open(PAGES)).delete(`/sessions/${id}/register`);
	}

	/** Nothing is kept longer than 7 days from when it was kept, nor any change queued longer ago. */
	async function removeExpired() {
		const now = Date.now();
		const all = /** @type {Kept[]} */ (await inTransaction(['registers'], 'readonly', (t) => result(t.objectStore('registers').getAll())));
		for (const old of all.filter((k) => now - k.keptAt > KEEP_FOR_MS)) await removeKept(old.sessionId);
		await inTransaction(['queue'], 'readwrite', async (t) => {
			const queue = t.objectStore('queue');
			for (const change of /** @type {Change[]} */ (await result(queue.getAll()))) if (now - change.queuedAt > KEEP_FOR_MS) queue.delete(change.clientId);
		});
	}

	// The page.

	const plural = (/** @type {number} */ n, /** @type {string} */ one, /** @type {string} */ many) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
	const labelOf = (/** @type {string} */ status) => manifest?.labels[status] ?? status;

	/** Shows a row's mark, and marks it as what the register holds (so register.js shows changes from it). @param {Row} row @param {string | null} shown */
	function showRow(row, shown) {
		const held = row.status ? codes[row.status] : '';
		for (const option of row.select.options) option.defaultSelected = option.value === held;
		row.select.value = shown ? (codes[shown] ?? '') : held;
	}

	/** Tells register.js the marks on the page changed under it: totals and "changed" outlines again. */
	function known() {
		applying = true;
		form?.dispatchEvent(new Event('register-known'));
		applying = false;
	}

	/** The register as downloaded, then the changes still queued, onto the page. @param {Kept} kept @param {Change[]} pending */
	function showStored(kept, pending) {
		const waiting = new Map(pending.map((c) => [c.youngPersonId, c.status]));
		for (const m of kept.rows) {
			const row = rowOf.get(m.id);
			if (!row || (m.version ?? 0) <= (row.version ?? 0)) continue;
			row.status = m.status;
			row.version = m.version;
			showRow(row, waiting.get(row.id) ?? null);
		}
		for (const [id, status] of waiting) {
			const row = rowOf.get(id);
			if (row) row.select.value = codes[status] ?? '';
		}
		known();
	}

	/** @param {string} text @param {'inset' | 'warning'} kind */
	function say(text, kind = 'inset') {
		live.replaceChildren();
		if (!text) return;
		const box = document.createElement('div');
		box.className = kind === 'inset' ? 'govuk-inset-text govuk-!-margin-top-0' : 'govuk-warning-text';
		if (kind === 'warning') {
			box.innerHTML = '<span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span></strong>';
			box.querySelector('strong')?.append(text);
		} else box.textContent = text;
		live.append(box);
	}

	async function showConnection() {
		const waiting = kept ? (await queued(sessionId)).length : 0;
		if (navigator.onLine) say(waiting > 0 ? `${plural(waiting, 'mark', 'marks')} kept on this device, not sent yet.` : '');
		else if (kept)
			say(
				`Marks are kept on this device and will be sent when you are back online.${waiting > 0 ? ` ${plural(waiting, 'mark is', 'marks are')} waiting to be sent.` : ''}`
			);
		else say('You are offline, and this register is not kept on this device: marks cannot be saved until the connection returns.', 'warning');
	}

	/** @param {boolean} on */
	function showKept(on) {
		kept = on;
		keepButton.hidden = on;
		forgetButton.hidden = !on;
		if (on && manifest) {
			const until = new Date(manifest.keptAt + KEEP_FOR_MS).toLocaleDateString('en-GB', { weekday: 'long', day: 'numeric', month: 'long' });
			state.textContent = `This register is kept on this device until ${until}: you can mark it without a connection. Signing out removes it.`;
		}
	}

	/** @param {Node[]} nodes */
	function tell(...nodes) {
		report.replaceChildren(...nodes);
	}
	const paragraph = (/** @type {string} */ text, className = 'govuk-body') => Object.assign(document.createElement('p'), { className, textContent: text });

	// The server.

	/** Downloads the register again, keeps it, and shows what others changed. */
	async function pull() {
		const response = await fetch(`${pagePath}/manifest.json`, { headers: { accept: 'application/json' } });
		if (!response.ok || response.redirected) throw new Error(`manifest ${response.status}`);
		const fresh = await response.json();
		const earlier = await findKept(sessionId);
		manifest = { ...fresh, sessionId, keptAt: earlier?.keptAt ?? Date.now() };
		await inTransaction(['registers'], 'readwrite', async (t) => {
			t.objectStore('registers').put(manifest);
		});
		showStored(/** @type {Kept} */ (manifest), await queued(sessionId));
		return /** @type {Kept} */ (manifest);
	}

	/** The page as the server sends it now, kept for opening without a connection. */
	async function keepPage() {
		const response = await fetch(pagePath, { credentials: 'same-origin' });
		if (!response.ok || response.redirected) throw new Error(`page ${response.status}`);
		const headers = new Headers({ 'content-type': response.headers.get('content-type') ?? 'text/html' });
		const policy = response.headers.get('content-security-policy');
		if (policy) headers.set('content-security-policy', policy);
		await (await caches.open(PAGES)).put(pagePath, new Response(await response.blob(), { headers }));
	}

	/** The ids of the changes being sent now: a change to the same young person meanwhile is queued beside them. */
	const sending = new Set();

	/** Sends the queue, in batches, then downloads the register again and says what happened; false when there was nothing to send. */
	async function push() {
		if (pushing || !navigator.onLine) return false;
		pushing = true;
		let sent = 0;
		/** @type {{ change: Change, conflict?: Conflict }[]} */
		const conflicts = [];
		/** @type {string | undefined} */
		let problem;
		const saved = new Set();
		const pending = await queued(sessionId);
		if (pending.length === 0) {
			pushing = false;
			return false;
		}
		try {
			say(`Sending ${plural(pending.length, 'mark', 'marks')}…`);
			for (let i = 0; i < pending.length && !problem; i += BATCH) {
				const batch = pending.slice(i, i + BATCH);
				for (const c of batch) sending.add(c.clientId);
				const response = await fetch(`${pagePath}/sync`, {
					method: 'POST',
					headers: { 'content-type': 'application/json', accept: 'application/json' },
					body: JSON.stringify({ changes: batch.map((c) => ({ clientId: c.clientId, youngPersonId: c.youngPersonId, status: c.status, basedOn: c.basedOn })) })
				});
				if (response.redirected) problem = 'You are signed out: sign in again, then open this register to send the marks kept on this device.';
				else if (!response.ok) problem = (await response.json().catch(() => ({}))).message ?? 'The marks could not be sent. Try again later.';
				else {
					/** @type {{ sent: number, results: { clientId: string, outcome: string }[], conflicts: Conflict[] }} */
					const body = await response.json();
					sent += body.sent;
					const byId = new Map(batch.map((c) => [c.clientId, c]));
					const detail = new Map(body.conflicts.map((c) => [c.youngPersonId, c]));
					for (const r of body.results) {
						const change = byId.get(r.clientId);
						if (change && r.outcome === 'conflict') conflicts.push({ change, conflict: detail.get(change.youngPersonId) });
						else if (change) saved.add(change.youngPersonId);
					}
					await unqueue(batch.map((c) => c.clientId));
				}
			}
		} catch {
			// No connection after all (or it dropped mid-way): what was not answered stays queued.
			problem = undefined;
		} finally {
			sending.clear();
			pushing = false;
		}
		try {
			await pull();
			void keepPage().catch(() => undefined);
		} catch {
			// Sent, but not downloaded again: the page shows what it had.
		}
		await rebase(saved);
		const nodes = [];
		if (sent > 0 || conflicts.length > 0) nodes.push(paragraph(`${plural(sent, 'mark', 'marks')} sent.`, 'govuk-body govuk-!-font-weight-bold'));
		if (conflicts.length > 0) nodes.push(conflictList(conflicts));
		if (problem) nodes.push(problemNotice(problem));
		if (nodes.length > 0) tell(...nodes);
		await showConnection();
		return true;
	}

	/**
	 * A change queued while an earlier change to the same young person was being sent was based
	 * on the mark before that one: it is based on what that saved instead, not a conflict with
	 * the lead's own change. @param {Set<string>} people those whose change was just saved
	 */
	async function rebase(people) {
		if (!manifest || people.size === 0) return;
		const versions = new Map(manifest.rows.map((m) => [m.id, m.version]));
		await inTransaction(['queue'], 'readwrite', async (t) => {
			const store = t.objectStore('queue');
			for (const change of /** @type {Change[]} */ (await result(store.index('sessionId').getAll(sessionId)))) {
				if (people.has(change.youngPersonId)) store.put({ ...change, basedOn: versions.get(change.youngPersonId) ?? null });
			}
		});
	}

	/** The marks someone else changed first, each with "use yours". @param {{ change: Change, conflict?: Conflict }[]} conflicts */
	function conflictList(conflicts) {
		const box = document.createElement('div');
		box.className = 'govuk-notification-banner';
		box.setAttribute('role', 'region');
		box.setAttribute('aria-labelledby', 'offline-conflicts-title');
		box.innerHTML =
			'<div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="offline-conflicts-title">Important</h2></div><div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading"></p><ul class="govuk-list"></ul></div>';
		/** @type {HTMLElement} */ (box.querySelector('p')).textContent =
			`${plural(conflicts.length, 'mark was', 'marks were')} changed by someone else before yours arrived, so yours ${conflicts.length === 1 ? 'was' : 'were'} not saved. The register shows theirs.`;
		const list = /** @type {HTMLElement} */ (box.querySelector('ul'));
		for (const { change, conflict } of conflicts) {
			const row = manifest?.rows.find((m) => m.id === change.youngPersonId);
			const name = conflict ? `${conflict.firstName} ${conflict.lastName}` : (row?.name ?? 'Someone');
			const theirs = conflict?.theirs ?? row?.status ?? '';
			const when = conflict?.at ? ` at ${new Date(conflict.at).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })}` : '';
			const item = document.createElement('li');
			item.append(`${conflict?.by ?? 'Someone'} marked ${name} ${labelOf(theirs).toLowerCase()}${when}; you chose ${labelOf(change.status).toLowerCase()}. `);
			const use = document.createElement('button');
			use.type = 'button';
			use.className = 'govuk-button govuk-button--secondary govuk-!-margin-bottom-0';
			use.innerHTML = 'Use yours<span class="govuk-visually-hidden"></span>';
			/** @type {HTMLElement} */ (use.lastChild).textContent = ` for ${name}`;
			use.addEventListener('click', async () => {
				const target = rowOf.get(change.youngPersonId);
				if (!target) return;
				target.select.value = codes[change.status] ?? '';
				await enqueue(target, change.status);
				item.remove();
				await showConnection();
				void push();
			});
			item.append(use);
			list.append(item);
		}
		return box;
	}

	/** A refusal from the server: the queue stays until the lead discards it. @param {string} message */
	function problemNotice(message) {
		const box = document.createElement('div');
		box.className = 'govuk-error-summary';
		box.innerHTML =
			'<div role="alert"><h2 class="govuk-error-summary__title">The marks kept on this device were not sent</h2><div class="govuk-error-summary__body"><p class="govuk-body"></p></div></div>';
		/** @type {HTMLElement} */ (box.querySelector('p')).textContent = message;
		const discard = document.createElement('button');
		discard.type = 'button';
		discard.className = 'govuk-button govuk-button--warning govuk-!-margin-bottom-0';
		discard.textContent = 'Discard the marks not sent';
		discard.addEventListener('click', async () => {
			await unqueue((await queued(sessionId)).map((c) => c.clientId));
			tell(paragraph('The marks not sent were discarded.'));
			await pull().catch(() => undefined);
			await showConnection();
		});
		box.querySelector('.govuk-error-summary__body')?.append(discard);
		return box;
	}

	// What the lead does.

	keepButton.addEventListener('click', async () => {
		keepButton.disabled = true;
		tell(paragraph('Keeping this register on this device…'));
		try {
			await navigator.serviceWorker.register('/service-worker.js');
			await navigator.serviceWorker.ready;
			await pull();
			await keepPage();
			showKept(true);
			tell(paragraph('This register is now kept on this device.', 'govuk-body govuk-!-font-weight-bold'));
			keepButton.disabled = false;
			forgetButton.focus();
		} catch {
			keepButton.disabled = false;
			await removeKept(sessionId).catch(() => undefined);
			tell(problemNotice('This register could not be kept on this device. Check the connection and try again.'));
		}
	});

	forgetButton.addEventListener('click', async () => {
		const waiting = (await queued(sessionId)).length;
		if (waiting > 0 && !confirm(`${plural(waiting, 'mark has', 'marks have')} not been sent yet and will be lost. Remove the register from this device?`)) return;
		await removeKept(sessionId);
		manifest = undefined;
		showKept(false);
		state.textContent = 'This register is no longer kept on this device.';
		tell();
		keepButton.focus();
		await showConnection();
	});

	form.addEventListener('change', async (event) => {
		const row = event.target instanceof HTMLSelectElement ? rowOfSelect.get(event.target) : undefined;
		if (!kept || applying || !row || row.select.value === '') return;
		await enqueue(row, statusOf[row.select.value] ?? '');
		await showConnection();
	});

	// Kept, "Save register" sends the queue (and anything chosen at once, as "mark all unmarked
	// as present" does) instead of posting the form; offline, it keeps them queued.
	form.addEventListener('submit', async (event) => {
		if (!kept) return;
		event.preventDefault();
		for (const row of rows) {
			const status = statusOf[row.select.value];
			if (status && status !== row.status) await enqueue(row, status);
		}
		if (navigator.onLine) await push();
		else await showConnection();
		report.focus();
	});

	// Signing out clears the device (Clear-Site-Data): marks not sent yet would go with it.
	const signOut = /** @type {HTMLFormElement | null} */ (document.querySelector('form[action="/sign-out"]'));
	signOut?.addEventListener('submit', (event) => {
		const waiting = kept ? rows.filter((row) => row.select.classList.contains('app-changed')).length : 0;
		if (waiting > 0 && !confirm(`${plural(waiting, 'mark has', 'marks have')} not been sent yet. Signing out removes them from this device. Sign out anyway?`)) {
			event.preventDefault();
		}
	});

	window.addEventListener('online', () => {
		void showConnection();
		if (kept) void push();
	});
	window.addEventListener('offline', () => void showConnection());

	(async () => {
		await removeExpired();
		manifest = await findKept(sessionId);
		if (manifest) {
			showStored(manifest, await queued(sessionId));
			showKept(true);
			if (navigator.onLine) {
				void navigator.serviceWorker.register('/service-worker.js');
				// Anything queued goes first; with nothing queued, what others marked since comes down.
				void push().then((pushed) => (pushed ? undefined : pull().catch(() => undefined)));
			}
		}
		await showConnection();
	})();
})();
