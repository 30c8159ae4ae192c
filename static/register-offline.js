// @ts-check
// A named register kept on this device, for a day without signal (issue 12). The lead chooses
// "Keep this register on this device": the register's manifest (its rows, marks and versions)
// goes into IndexedDB and the page into the service worker's cache. Marked on the device, each
// change is queued with an id made here; when the connection returns the queue is sent to
// /sessions/<id>/register/sync, which applies each id once, then the manifest is downloaded
// again to show what others changed. A mark someone else changed meanwhile comes back as a
// conflict, shown with "use yours". Kept registers go after 7 days, and signing out clears
// everything (Clear-Site-Data). Without scripts, or without IndexedDB or service workers, the
// page is the plain form it always was. Plain IndexedDB, not a library, through
// /offline-store.js as the other kept pages: these files are served as they are, unbundled, as
// the Content Security Policy allows.
(function start() {
	const panel = /** @type {HTMLElement | null} */ (document.getElementById('offline-register'));
	const form = /** @type {HTMLFormElement | null} */ (document.getElementById('register'));
	if (!panel || !form) return;
	if (!window.isSecureContext || !('serviceWorker' in navigator) || !('indexedDB' in window) || !('caches' in window)) {
		panel.hidden = true;
		return;
	}
	const store = /** @type {any} */ (window).offlineRegisters;
	// /offline-store.js not run yet (scripts inserted by the app in the browser run in any order).
	if (!store) {
		window.addEventListener('offline-registers', start, { once: true });
		return;
	}

	const sessionId = location.pathname.split('/')[2] ?? '';
	const pagePath = `/sessions/${sessionId}/register`;
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

	const parts = store.panelParts();
	const { keepButton, forgetButton, state, report, say, tell } = parts;
	let kept = false;
	let pushing = false;
	/** Set while the page's selects are changed from stored marks, so those are not queued as changes. */
	let applying = false;
	/** @type {Kept | undefined} */
	let manifest;

	// IndexedDB (/offline-store.js): database `registers`, with the kept registers by session and
	// the queue of changes by client id (indexed by session).
	const { inTransaction, result, findKept, queued, unqueue, removeExpired, plural } = store;

	/** Queues a change, replacing any change to the same young person not yet sent; none when it is the mark already known. @param {Row} row @param {string} status */
	function enqueue(row, status) {
		return inTransaction(['queue'], 'readwrite', async (/** @type {IDBTransaction} */ t) => {
			const queue = t.objectStore('queue');
			for (const earlier of /** @type {Change[]} */ (await result(queue.index('sessionId').getAll(sessionId)))) {
				if (earlier.youngPersonId === row.id && !sending.has(earlier.clientId)) queue.delete(earlier.clientId);
			}
			if (status !== row.status) {
				queue.put({ clientId: crypto.randomUUID(), sessionId, youngPersonId: row.id, status, basedOn: row.version, queuedAt: Date.now() });
			}
		});
	}

	// The page.

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
			state.textContent = `This register is kept on this device until ${store.keptUntil(manifest.keptAt)}: you can mark it without a connection. Signing out removes it.`;
		}
	}

	// The server.

	/** Downloads the register again, keeps it, and shows what others changed. */
	async function pull() {
		const fresh = await store.download(`${pagePath}/manifest.json`);
		const earlier = await findKept(sessionId);
		manifest = { ...fresh, sessionId, keptAt: earlier?.keptAt ?? Date.now() };
		await store.putKept(manifest);
		showStored(/** @type {Kept} */ (manifest), await queued(sessionId));
		return /** @type {Kept} */ (manifest);
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
			problem = await store.sendQueue({
				pending,
				url: `${pagePath}/sync`,
				toJson: (/** @type {Change} */ c) => ({ clientId: c.clientId, youngPersonId: c.youngPersonId, status: c.status, basedOn: c.basedOn }),
				place: 'register',
				things: 'marks',
				sending,
				/** @param {Change[]} batch @param {{ sent: number, results: { clientId: string, outcome: string }[], conflicts: Conflict[] }} body */
				answered(batch, body) {
					sent += body.sent;
					const byId = new Map(batch.map((c) => [c.clientId, c]));
					const detail = new Map(body.conflicts.map((c) => [c.youngPersonId, c]));
					for (const r of body.results) {
						const change = byId.get(r.clientId);
						if (change && r.outcome === 'conflict') conflicts.push({ change, conflict: detail.get(change.youngPersonId) });
						else if (change) saved.add(change.youngPersonId);
					}
				}
			});
		} finally {
			sending.clear();
			pushing = false;
		}
		try {
			await pull();
			void store.keepPage(pagePath).catch(() => undefined);
		} catch {
			// Sent, but not downloaded again: the page shows what it had.
		}
		await rebase(saved);
		parts.tellSent(
			sent > 0 || conflicts.length > 0 ? `${plural(sent, 'mark', 'marks')} sent.` : undefined,
			conflicts.length > 0 ? conflictList(conflicts) : undefined,
			problem ? problemNotice(problem) : undefined
		);
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
		await inTransaction(['queue'], 'readwrite', async (/** @type {IDBTransaction} */ t) => {
			const queue = t.objectStore('queue');
			for (const change of /** @type {Change[]} */ (await result(queue.index('sessionId').getAll(sessionId)))) {
				if (people.has(change.youngPersonId)) queue.put({ ...change, basedOn: versions.get(change.youngPersonId) ?? null });
			}
		});
	}

	/** The marks someone else changed first, each with "use yours". @param {{ change: Change, conflict?: Conflict }[]} conflicts */
	function conflictList(conflicts) {
		const { box, list } = store.conflictBanner(
			`${plural(conflicts.length, 'mark was', 'marks were')} changed by someone else before yours arrived, so yours ${conflicts.length === 1 ? 'was' : 'were'} not saved. The register shows theirs.`
		);
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
	const problemNotice = (message) => store.notSentNotice({ things: 'marks', message, key: sessionId, tell, pull, showConnection });

	// What the lead does.

	store.keepButtons({
		parts,
		place: 'register',
		entry: { sessionId, path: pagePath },
		pull,
		showKept,
		problemNotice,
		question: (/** @type {number} */ waiting) =>
			`${plural(waiting, 'mark has', 'marks have')} not been sent yet and will be lost. Remove the register from this device?`,
		forgotten: () => (manifest = undefined),
		afterForget: showConnection
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

	store.onConnection(showConnection, () => kept, push);

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
