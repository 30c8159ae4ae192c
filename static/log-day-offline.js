// @ts-check
// A mentoring cohort's or an award group's day page kept on this device, for a day without
// signal (issue 12), the way registers are kept (/counts-offline.js): "Keep this page on this
// device" puts the cohort's pairs or the group's participants (with each award day's version)
// into IndexedDB and the page into the service worker's cache, both through /offline-store.js
// (the one `registers` database, under the page's path). Logged on the device, a meeting, or a
// day for each participant ticked, is queued with an id made here; when the connection returns
// the queue is sent to the page's sync address, which applies each id once, then the page's
// data is downloaded again. A day someone else logged meanwhile comes back as a conflict: keep
// theirs or use yours. Without scripts, IndexedDB or service workers, the page is the plain
// form it always was.
(function start() {
	const store = /** @type {any} */ (window).offlineRegisters;
	// /offline-store.js not run yet (scripts inserted by the app in the browser run in any order).
	if (!store && 'indexedDB' in window && 'caches' in window) {
		window.addEventListener('offline-registers', start, { once: true });
		return;
	}

	const today = document.getElementById('offline-day-logs');
	if (today) {
		if (store && window.isSecureContext && 'serviceWorker' in navigator) keepFromToday(store, today);
		return;
	}

	// Rendered on the server only: a banner or error summary that reports what just happened takes focus, as on other pages.
	const shown = /** @type {HTMLElement | null} */ (document.querySelector('.govuk-error-summary, .govuk-notification-banner--success'));
	if (shown) {
		shown.tabIndex = -1;
		shown.focus();
	}
	const panel = /** @type {HTMLElement | null} */ (document.getElementById('offline-day-log'));
	const form = /** @type {HTMLFormElement | null} */ (document.getElementById('day-log'));
	if (!store || !panel || !form || !window.isSecureContext || !('serviceWorker' in navigator)) return;

	const key = panel.dataset.key ?? '';
	const path = key;
	const kind = panel.dataset.kind === 'award_day' ? 'award_day' : 'meeting';
	const noun = kind === 'meeting' ? ['meeting', 'meetings'] : ['day', 'days'];

	/**
	 * @typedef {{ day: string, challenges: string[], version: number }} Day
	 * @typedef {{ id: string, name: string, achievedOn: string | null, days: Day[] }} Participant
	 * @typedef {{ id: string, label: string, endedOn: string | null }} Pair
	 * @typedef {{ sessionId: string, path: string, kind: string, title: string, keptAt: number, pairs?: Pair[], participants?: Participant[] }} Kept
	 * @typedef {{ clientId: string, sessionId: string, label: string, body: Record<string, unknown>, queuedAt: number }} Change
	 * @typedef {{ clientId: string, message: string, participantId?: string, day?: string, theirs?: { version: number }, yours?: string[] }} Conflict
	 */

	const parts = store.panelParts();
	const { keepButton, forgetButton, state, report, say, tell } = parts;
	const paragraph = store.paragraph;
	const queueBox = /** @type {HTMLElement} */ (document.getElementById('offline-queue'));
	const queueList = /** @type {HTMLElement} */ (document.getElementById('offline-queue-list'));
	let kept = false;
	let pushing = false;
	/** @type {Kept | undefined} */
	let manifest;

	const count = (/** @type {number} */ n) => store.plural(n, noun[0], noun[1]);
	const field = (/** @type {string} */ name) => /** @type {HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement | null} */ (form.elements.namedItem(name));
	const ticked = (/** @type {string} */ name) =>
		[...form.querySelectorAll(`input[name="${name}"]:checked`)].map((box) => /** @type {HTMLInputElement} */ (box).value);
	const labelOf = (/** @type {HTMLInputElement} */ box) => document.querySelector(`label[for="${CSS.escape(box.id)}"]`)?.textContent?.trim() ?? box.value;
	const dayText = (/** @type {string} */ day) =>
		/^\d{4}-\d{2}-\d{2}$/.test(day) ? new Date(`${day}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }) : day;

	/** What is queued, listed under the form, and what the connection means for it. */
	async function showConnection() {
		/** @type {Change[]} */
		const waiting = kept ? await store.queued(key) : [];
		queueList.replaceChildren(...waiting.map((c) => Object.assign(document.createElement('li'), { textContent: c.label })));
		queueBox.hidden = waiting.length === 0;
		if (navigator.onLine) say(waiting.length > 0 ? `${count(waiting.length)} kept on this device, not sent yet.` : '');
		else if (kept) {
			const more = waiting.length > 0 ? ` ${count(waiting.length)} ${waiting.length === 1 ? 'is' : 'are'} waiting to be sent.` : '';
			say(`${noun[1][0]?.toUpperCase()}${noun[1].slice(1)} you log are kept on this device and will be sent when you are back online.${more}`);
		} else say(`You are offline, and this page is not kept on this device: ${noun[1]} cannot be logged until the connection returns.`, 'warning');
	}

	/** @param {boolean} on */
	function showKept(on) {
		kept = on;
		keepButton.hidden = on;
		forgetButton.hidden = !on;
		if (on && manifest) {
			const names = kind === 'meeting' ? 'the pairs’ names' : 'the group’s names and days logged';
			state.textContent = `This page is kept on this device, with ${names}, until ${store.keptUntil(manifest.keptAt)}: you can log ${noun[1]} without a connection. Signing out removes it.`;
		}
	}

	/** Downloads the page's data again and keeps it. */
	async function pull() {
		const fresh = await store.download(panel?.dataset.manifest ?? '');
		const earlier = await store.findKept(key);
		manifest = { ...fresh, sessionId: key, path, kind, title: panel?.dataset.title ?? '', keptAt: earlier?.keptAt ?? Date.now() };
		await store.putKept(manifest);
	}

	/** The version of a participant's day as this device last saw it, counting days queued here; null when none. @param {string} participantId @param {string} day */
	function versionOf(participantId, day) {
		const p = manifest?.participants?.find((x) => x.id === participantId);
		return p?.days.find((d) => d.day === day)?.version ?? null;
	}

	/** The form's problems, as the server would name them, before anything is queued; empty when none. */
	function problems() {
		/** @type {[string, string][]} */
		const found = [];
		if (kind === 'meeting') {
			const pair = field('pairId')?.value ?? '';
			const metOn = field('metOn')?.value.trim() ?? '';
			const minutes = field('minutes')?.value.trim() ?? '';
			if (pair === '') found.push(['pairId', 'Select the mentor and mentee who met']);
			if (!/^\d{4}-\d{2}-\d{2}$/.test(metOn)) found.push(['metOn', 'Enter the date of the meeting']);
			if (!/^\d{1,3}$/.test(minutes) || Number(minutes) < 5 || Number(minutes) > 600) found.push(['minutes', 'Minutes must be a whole number from 5 to 600']);
			if (ticked('topics').length === 0) found.push(['topics', 'Select the topics talked about, or Other']);
			if ((field('note')?.value.trim().length ?? 0) > 280) found.push(['note', 'The note must be 280 characters or fewer']);
		} else {
			if (!/^\d{4}-\d{2}-\d{2}$/.test(field('day')?.value.trim() ?? '')) found.push(['day', 'Enter the date of the day']);
			if (ticked('challenges').length === 0) found.push(['challenges', 'Select the challenges the day served']);
			if (ticked('participantIds').length === 0) found.push(['participantIds', 'Select who took part in the day']);
		}
		return found;
	}

	/** What the form holds as changes to queue: one meeting, or one day per participant ticked. @returns {Change[]} */
	function changesFromForm() {
		const queuedAt = Date.now();
		if (kind === 'meeting') {
			const select = /** @type {HTMLSelectElement} */ (field('pairId'));
			const body = {
				pairId: select.value,
				metOn: field('metOn')?.value.trim() ?? '',
				minutes: field('minutes')?.value.trim() ?? '',
				topics: ticked('topics'),
				note: field('note')?.value.trim() ?? ''
			};
			const who = select.selectedOptions[0]?.textContent?.trim() ?? 'A pair';
			return [{ clientId: crypto.randomUUID(), sessionId: key, label: `Meeting of ${who} on ${dayText(body.metOn)}, ${body.minutes} minutes`, body, queuedAt }];
		}
		const day = field('day')?.value.trim() ?? '';
		const challenges = ticked('challenges');
		return [...form.querySelectorAll('input[name="participantIds"]:checked')].map((element) => {
			const box = /** @type {HTMLInputElement} */ (element);
			const body = { participantId: box.value, day, challenges, basedOn: versionOf(box.value, day) };
			return { clientId: crypto.randomUUID(), sessionId: key, label: `${labelOf(box)}: ${dayText(day)}`, body, queuedAt };
		});
	}

	/** @param {Change[]} changes */
	const enqueue = (changes) =>
		store.inTransaction(['queue'], 'readwrite', async (/** @type {IDBTransaction} */ t) => {
			for (const change of changes) t.objectStore('queue').put(change);
		});

	/** Sends the queue in batches, downloads the page's data again and says what happened; false when there was nothing to send. */
	async function push() {
		if (pushing || !navigator.onLine) return false;
		/** @type {Change[]} */
		const pending = await store.queued(key);
		if (pending.length === 0) return false;
		pushing = true;
		let sent = 0;
		/** @type {{ change: Change, conflict?: Conflict }[]} */
		const conflicts = [];
		/** @type {string | undefined} */
		let problem;
		try {
			say(`Sending ${count(pending.length)}…`);
			problem = await store.sendQueue({
				pending,
				url: panel?.dataset.sync ?? '',
				toJson: (/** @type {Change} */ c) => ({ clientId: c.clientId, ...c.body }),
				place: 'page',
				things: noun[1],
				/** @param {Change[]} batch @param {{ sent: number, results: { clientId: string, outcome: string }[], conflicts: Conflict[] }} body */
				answered(batch, body) {
					sent += body.sent;
					const byId = new Map(batch.map((c) => [c.clientId, c]));
					const detail = new Map(body.conflicts.map((c) => [c.clientId, c]));
					for (const r of body.results) {
						const change = byId.get(r.clientId);
						if (change && r.outcome === 'conflict') conflicts.push({ change, conflict: detail.get(r.clientId) });
					}
				}
			});
		} finally {
			pushing = false;
		}
		try {
			await pull();
			void store.keepPage(path).catch(() => undefined);
		} catch {
			// Sent, but not downloaded again: the page keeps what it had.
		}
		parts.tellSent(
			sent > 0 || conflicts.length > 0 ? `${count(sent)} sent.` : undefined,
			conflicts.length > 0 ? conflictList(conflicts) : undefined,
			problem ? problemNotice(problem) : undefined
		);
		await showConnection();
		return true;
	}

	/** What someone else changed first, each with "keep theirs" and, for an award day, "use yours". @param {{ change: Change, conflict?: Conflict }[]} conflicts */
	function conflictList(conflicts) {
		const { box, list } = store.conflictBanner(
			`${store.plural(conflicts.length, `${noun[0]} was`, `${noun[1]} were`)} not saved because someone else changed the record first.`
		);
		for (const { change, conflict } of conflicts) {
			const item = document.createElement('li');
			item.append(`${conflict?.message ?? change.label}. `);
			/** @param {string} text @param {() => Promise<void>} act */
			const button = (text, act) => store.conflictButton(text, `: ${change.label}`, { item, list, box, report }, act);
			const theirs = conflict?.theirs;
			if (theirs) {
				item.append(
					button('Keep theirs', async () => undefined),
					button('Use yours', async () => {
						await enqueue([{ ...change, clientId: crypto.randomUUID(), body: { ...change.body, basedOn: theirs.version }, queuedAt: Date.now() }]);
						await showConnection();
						void push();
					})
				);
			}
			list.append(item);
		}
		return box;
	}

	/** A refusal from the server: the queue stays until the lead discards it. @param {string} message */
	const problemNotice = (message) => store.notSentNotice({ things: noun[1], message, key: key, tell, pull, showConnection });

	store.keepButtons({
		parts,
		place: 'page',
		entry: { sessionId: key, path },
		pull,
		showKept,
		problemNotice,
		question: (/** @type {number} */ waiting) =>
			`${count(waiting)} ${waiting === 1 ? 'has' : 'have'} not been sent yet and will be lost. Remove this page from this device?`,
		forgotten: () => (manifest = undefined),
		afterKeep: showConnection,
		afterForget: showConnection
	});

	// Kept, the form's button queues what it holds and sends the queue instead of posting the
	// form; offline, it keeps it queued. The form is then emptied for the next one.
	form.addEventListener('submit', async (event) => {
		if (!kept) {
			if (navigator.onLine) return;
			event.preventDefault();
			await showConnection();
			return;
		}
		event.preventDefault();
		const found = problems();
		if (found.length > 0) {
			tell(store.problemSummary(found));
			/** @type {HTMLElement | null} */ (report.querySelector('[role="alert"]'))?.focus();
			return;
		}
		const changes = changesFromForm();
		await enqueue(changes);
		tell(paragraph(`${changes.length === 1 ? changes[0]?.label : count(changes.length)}: kept on this device.`));
		if (kind === 'meeting') {
			for (const name of ['pairId', 'minutes', 'note']) {
				const f = field(name);
				if (f) f.value = '';
			}
			for (const box of form.querySelectorAll('input[name="topics"]')) /** @type {HTMLInputElement} */ (box).checked = false;
		}
		if (navigator.onLine) await push();
		else await showConnection();
		report.focus();
	});

	const signOut = /** @type {HTMLFormElement | null} */ (document.querySelector('form[action="/sign-out"]'));
	signOut?.addEventListener('submit', async (event) => {
		if (!kept) return;
		event.preventDefault();
		const waiting = (await store.queued(key)).length;
		if (waiting === 0 || confirm(`${count(waiting)} ${waiting === 1 ? 'has' : 'have'} not been sent yet. Signing out removes them from this device. Sign out anyway?`)) {
			signOut.submit();
		}
	});

	store.onConnection(showConnection, () => kept, push);

	(async () => {
		panel.hidden = false;
		await store.removeExpired();
		manifest = await store.findKept(key);
		if (manifest) {
			showKept(true);
			if (navigator.onLine) {
				void navigator.serviceWorker.register('/service-worker.js');
				void push().then((pushed) => (pushed ? undefined : pull().catch(() => undefined)));
			}
		}
		await showConnection();
	})();

	/**
	 * The Today page: one button keeps every day page it lists on this device, as each page's own
	 * button would (its data and its page), and the page's list of what this device keeps
	 * (/day-offline.js) is told to show them.
	 * @param {any} store @param {HTMLElement} section
	 */
	function keepFromToday(store, section) {
		const rows = /** @type {HTMLTableRowElement[]} */ ([...document.querySelectorAll('tr[data-day-log]')]);
		const listed = rows.map((row) => ({ row, log: /** @type {{ key: string, kind: string, path: string, manifest: string, title: string }} */ (JSON.parse(row.dataset.dayLog ?? '{}')) }));
		const button = /** @type {HTMLButtonElement} */ (document.getElementById('offline-keep-logs'));
		const report = /** @type {HTMLElement} */ (document.getElementById('offline-logs-report'));
		const paragraph = store.paragraph;

		async function showKept() {
			const keys = new Set((await store.allKept()).map((/** @type {{ sessionId: string }} */ k) => k.sessionId));
			for (const { row, log } of listed) {
				const cell = /** @type {HTMLElement} */ (row.querySelector('[data-kept]'));
				cell.replaceChildren();
				if (keys.has(log.key)) cell.append(Object.assign(document.createElement('strong'), { className: 'govuk-tag govuk-tag--green', textContent: 'Kept' }));
				else cell.textContent = 'Not kept';
			}
		}

		button.addEventListener('click', async () => {
			button.disabled = true;
			report.replaceChildren(paragraph(`Keeping ${store.plural(listed.length, 'page', 'pages')} on this device…`));
			let failed = 0;
			try {
				await store.startWorker();
				for (const { log } of listed) {
					try {
						const fresh = await store.download(log.manifest);
						const earlier = await store.findKept(log.key);
						await store.putKept({ ...fresh, sessionId: log.key, path: log.path, kind: log.kind, title: log.title, keptAt: earlier?.keptAt ?? Date.now() });
						await store.keepPage(log.path);
					} catch {
						failed++;
					}
				}
			} catch {
				failed = listed.length;
			}
			button.disabled = false;
			await showKept();
			window.dispatchEvent(new Event('offline-kept-changed'));
			const nodes = [paragraph(`${store.plural(listed.length - failed, 'page is', 'pages are')} now kept on this device.`, 'govuk-body govuk-!-font-weight-bold')];
			if (failed > 0) nodes.push(paragraph('Some pages could not be kept on this device. Check the connection and try again.'));
			report.replaceChildren(...nodes);
			report.focus();
		});

		(async () => {
			section.hidden = false;
			await store.removeExpired();
			await showKept();
		})();
	}
})();
