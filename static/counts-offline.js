// @ts-check
// A headcount or workstation register kept on this device, for a day without signal (issue 12),
// the way /register-offline.js keeps a named one: "Keep this register on this device" puts its
// counts (with each count's version) into IndexedDB and the page into the service worker's
// cache (/offline-store.js). Counted on the device, each count is queued with an id made here;
// when the connection returns the queue is sent to the register's sync address, which applies
// each id once, then the counts are downloaded again. A count someone else changed meanwhile
// comes back as a conflict: keep theirs or use yours. Emptying a box is not kept offline (it
// clears the count only when saved with a connection). Without scripts, IndexedDB or service
// workers, the page is the plain form it always was.
(function start() {
	const store = /** @type {any} */ (window).offlineRegisters;
	// /offline-store.js not run yet (scripts inserted by the app in the browser run in any order).
	if (!store && 'indexedDB' in window && 'caches' in window) {
		window.addEventListener('offline-registers', start, { once: true });
		return;
	}

	// The page is rendered on the server only: a banner or summary that reports what just
	// happened takes focus here, as on other pages (and as /register.js does for a named register).
	const shown = /** @type {HTMLElement | null} */ (document.querySelector('.govuk-error-summary, [data-focus], .govuk-notification-banner--success'));
	if (shown) {
		shown.tabIndex = -1;
		shown.focus();
	}
	const panel = /** @type {HTMLElement | null} */ (document.getElementById('offline-register'));
	const form = /** @type {HTMLFormElement | null} */ (document.getElementById('counts'));
	if (!store || !panel || !form || !window.isSecureContext || !('serviceWorker' in navigator)) return;

	const key = panel.dataset.key ?? '';
	const path = key;

	/**
	 * @typedef {{ key: string, schoolId: string, yearGroup: string, input: HTMLInputElement, label: string, count: number | null, version: number | null, shown: string }} Row
	 * @typedef {{ schoolId: string, school: string, yearGroup: string, label: string, count: number | null, version: number | null }} Cell
	 * @typedef {{ sessionId: string, path: string, kind: string, title: string, keptAt: number, cells: Cell[] }} Kept
	 * @typedef {{ clientId: string, sessionId: string, cell: string, schoolId: string, yearGroup: string, count: number, basedOn: number | null, queuedAt: number }} Change
	 * @typedef {{ schoolId: string, yearGroup: string, school: string, label: string, theirs: number, by?: string | null, at?: string, version: number, yours: number }} Conflict
	 */

	/** @type {Row[]} */
	const rows = [...form.querySelectorAll('input[name^="count."]')].map((element) => {
		const input = /** @type {HTMLInputElement} */ (element);
		const [, schoolId = '', yearGroup = ''] = input.name.split('.');
		const label = document.querySelector(`label[for="${CSS.escape(input.id)}"]`)?.textContent?.trim() ?? input.name;
		const saved = input.dataset.saved ?? '';
		const version = input.dataset.version ?? '';
		return {
			key: `${schoolId}.${yearGroup}`,
			schoolId,
			yearGroup,
			input,
			label,
			count: saved === '' ? null : Number(saved),
			version: version === '' ? null : Number(version),
			shown: input.value
		};
	});
	const rowOf = new Map(rows.map((row) => [row.key, row]));
	const rowOfInput = new Map(rows.map((row) => [row.input, row]));

	const parts = store.panelParts();
	const { keepButton, forgetButton, state, report, say, tell } = parts;
	let kept = false;
	let pushing = false;
	/** @type {Kept | undefined} */
	let manifest;
	/** The ids of the changes being sent now: a change to the same count meanwhile is queued beside them. */
	const sending = new Set();

	/** Queues a count, replacing any not yet sent for the same school and year group; none when it is the count already held. @param {Row} row @param {number} count */
	function enqueue(row, count) {
		return store.inTransaction(['queue'], 'readwrite', async (/** @type {IDBTransaction} */ t) => {
			const queue = t.objectStore('queue');
			for (const earlier of /** @type {Change[]} */ (await store.result(queue.index('sessionId').getAll(key)))) {
				if (earlier.cell === row.key && !sending.has(earlier.clientId)) queue.delete(earlier.clientId);
			}
			if (count !== row.count) {
				queue.put({
					clientId: crypto.randomUUID(),
					sessionId: key,
					cell: row.key,
					schoolId: row.schoolId,
					yearGroup: row.yearGroup,
					count,
					basedOn: row.version,
					queuedAt: Date.now()
				});
			}
		});
	}

	/** A box's value as a count; undefined when it is empty or not a whole number. @param {string} value */
	const countOf = (value) => (/^\d{1,6}$/.test(value.trim()) ? Number(value.trim()) : undefined);

	/** Puts a count in its box, unless the lead has typed in that box since the page last put one there and it is not queued yet (a download finishing meanwhile must not undo their typing). @param {Row} row @param {string} value */
	function show(row, value) {
		if (row.input.value !== row.shown) return;
		row.input.value = value;
		row.shown = value;
	}

	/** The box's value is the lead's and is queued (or is the count held): from now on a download may replace it. @param {Row} row */
	const settle = (row) => (row.shown = row.input.value);

	/** The counts as downloaded, then those still queued, onto the page. @param {Kept} kept @param {Change[]} pending */
	function showStored(kept, pending) {
		const waiting = new Map(pending.map((c) => [c.cell, c.count]));
		for (const cell of kept.cells) {
			const row = rowOf.get(`${cell.schoolId}.${cell.yearGroup}`);
			if (!row || (cell.version ?? 0) < (row.version ?? 0)) continue;
			row.count = cell.count;
			row.version = cell.version;
			show(row, String(waiting.get(row.key) ?? cell.count ?? ''));
		}
		for (const [cell, count] of waiting) {
			const row = rowOf.get(cell);
			if (row) show(row, String(count));
		}
		// A workstation's register says how many came through, as the server holds them.
		const counted = document.getElementById('counted-so-far');
		if (counted) counted.textContent = `${store.plural(rows.reduce((total, row) => total + (row.count ?? 0), 0), 'young person', 'young people')} counted here so far.`;
	}

	async function showConnection() {
		const waiting = kept ? (await store.queued(key)).length : 0;
		if (navigator.onLine) say(waiting > 0 ? `${store.plural(waiting, 'count', 'counts')} kept on this device, not sent yet.` : '');
		else if (kept)
			say(
				`Counts are kept on this device and will be sent when you are back online.${waiting > 0 ? ` ${store.plural(waiting, 'count is', 'counts are')} waiting to be sent.` : ''}`
			);
		else say('You are offline, and this register is not kept on this device: counts cannot be saved until the connection returns.', 'warning');
	}

	/** @param {boolean} on */
	function showKept(on) {
		kept = on;
		keepButton.hidden = on;
		forgetButton.hidden = !on;
		if (on && manifest) {
			state.textContent = `This register is kept on this device until ${store.keptUntil(manifest.keptAt)}: you can count without a connection. Signing out removes it.`;
		}
	}

	/** Downloads the counts again, keeps them, and shows what others changed; the form is busy meanwhile. */
	async function pull() {
		form?.setAttribute('aria-busy', 'true');
		try {
			const fresh = await store.download(panel?.dataset.manifest ?? '');
			const earlier = await store.findKept(key);
			manifest = { ...fresh, sessionId: key, path, kind: panel?.dataset.kind ?? 'headcount', title: panel?.dataset.title ?? '', keptAt: earlier?.keptAt ?? Date.now() };
			await store.putKept(manifest);
			showStored(/** @type {Kept} */ (manifest), await store.queued(key));
		} finally {
			form?.removeAttribute('aria-busy');
		}
	}

	/** Sends the queue, in batches, then downloads the counts again and says what happened; false when there was nothing to send. */
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
			say(`Sending ${store.plural(pending.length, 'count', 'counts')}…`);
			problem = await store.sendQueue({
				pending,
				url: panel?.dataset.sync ?? '',
				toJson: (/** @type {Change} */ c) => ({ clientId: c.clientId, schoolId: c.schoolId, yearGroup: c.yearGroup, count: c.count, basedOn: c.basedOn }),
				place: 'register',
				things: 'counts',
				sending,
				/** @param {Change[]} batch @param {{ sent: number, results: { clientId: string, outcome: string }[], conflicts: Conflict[] }} body */
				answered(batch, body) {
					sent += body.sent;
					const byId = new Map(batch.map((c) => [c.clientId, c]));
					const detail = new Map(body.conflicts.map((c) => [`${c.schoolId}.${c.yearGroup}`, c]));
					for (const r of body.results) {
						const change = byId.get(r.clientId);
						if (change && r.outcome === 'conflict') conflicts.push({ change, conflict: detail.get(change.cell) });
					}
				}
			});
		} finally {
			sending.clear();
			pushing = false;
		}
		try {
			await pull();
			void store.keepPage(path).catch(() => undefined);
		} catch {
			// Sent, but not downloaded again: the page shows what it had.
		}
		await rebase();
		parts.tellSent(
			sent > 0 || conflicts.length > 0 ? `${store.plural(sent, 'count', 'counts')} sent.` : undefined,
			conflicts.length > 0 ? conflictList(conflicts) : undefined,
			problem ? problemNotice(problem) : undefined
		);
		await showConnection();
		return true;
	}

	/** A count queued while an earlier one for the same box was being sent is based on what that saved. */
	async function rebase() {
		if (!manifest) return;
		const versions = new Map(manifest.cells.map((c) => [`${c.schoolId}.${c.yearGroup}`, c.version]));
		await store.inTransaction(['queue'], 'readwrite', async (/** @type {IDBTransaction} */ t) => {
			const queue = t.objectStore('queue');
			for (const change of /** @type {Change[]} */ (await store.result(queue.index('sessionId').getAll(key)))) {
				queue.put({ ...change, basedOn: versions.get(change.cell) ?? null });
			}
		});
	}

	/** The counts someone else changed first, each with "keep theirs" and "use yours". @param {{ change: Change, conflict?: Conflict }[]} conflicts */
	function conflictList(conflicts) {
		const { box, list } = store.conflictBanner(
			`${store.plural(conflicts.length, 'count was', 'counts were')} changed by someone else before yours arrived, so yours ${conflicts.length === 1 ? 'was' : 'were'} not saved. The register shows theirs.`
		);
		for (const { change, conflict } of conflicts) {
			const row = rowOf.get(change.cell);
			const what = conflict ? `${conflict.label} from ${conflict.school}` : (row?.label ?? 'A group');
			const when = conflict?.at ? ` at ${new Date(conflict.at).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })}` : '';
			const item = document.createElement('li');
			item.append(`${conflict?.by ?? 'Someone'} counted ${conflict?.theirs ?? row?.count ?? '?'} for ${what}${when}; you counted ${change.count}. `);
			/** @param {string} text @param {() => Promise<void>} act */
			const button = (text, act) => store.conflictButton(text, ` for ${what}`, { item, list, box, report }, act);
			item.append(
				button('Keep theirs', async () => undefined),
				button('Use yours', async () => {
					if (!row) return;
					row.input.value = String(change.count);
					settle(row);
					await enqueue(row, change.count);
					await showConnection();
					void push();
				})
			);
			list.append(item);
		}
		return box;
	}

	/** A refusal from the server: the queue stays until the lead discards it. @param {string} message */
	const problemNotice = (message) => store.notSentNotice({ things: 'counts', message, key: key, tell, pull, showConnection });

	/** Boxes that hold something other than a whole number: named in an error summary, nothing queued for them. @param {Row[]} wrong */
	const wrongCounts = (wrong) => store.problemSummary(wrong.map((row) => [row.input.id, `Enter ${row.label} as a whole number, like 12`]));

	store.keepButtons({
		parts,
		place: 'register',
		entry: { sessionId: key, path },
		pull,
		showKept,
		problemNotice,
		question: (/** @type {number} */ waiting) =>
			`${store.plural(waiting, 'count has', 'counts have')} not been sent yet and will be lost. Remove the register from this device?`,
		forgotten: () => (manifest = undefined),
		afterForget: showConnection
	});

	form.addEventListener('change', async (event) => {
		const row = event.target instanceof HTMLInputElement ? rowOfInput.get(event.target) : undefined;
		if (!kept || !row) return;
		const count = countOf(row.input.value);
		if (count === undefined) return;
		settle(row);
		await enqueue(row, count);
		await showConnection();
	});

	// Kept, the form's button sends the queue (with any count typed and not yet queued) instead of
	// posting the form; offline, it keeps them queued.
	form.addEventListener('submit', async (event) => {
		if (!kept) return;
		event.preventDefault();
		const wrong = rows.filter((row) => row.input.value.trim() !== '' && countOf(row.input.value) === undefined);
		for (const row of rows) {
			const count = countOf(row.input.value);
			if (count === undefined) continue;
			settle(row);
			if (count !== row.count) await enqueue(row, count);
		}
		if (wrong.length > 0) {
			tell(wrongCounts(wrong));
			await showConnection();
			/** @type {HTMLElement | null} */ (report.querySelector('[role="alert"]'))?.focus();
			return;
		}
		if (navigator.onLine) await push();
		else await showConnection();
		report.focus();
	});

	const signOut = /** @type {HTMLFormElement | null} */ (document.querySelector('form[action="/sign-out"]'));
	signOut?.addEventListener('submit', async (event) => {
		if (!kept) return;
		const waiting = rows.filter((row) => countOf(row.input.value) !== undefined && countOf(row.input.value) !== row.count).length;
		if (waiting > 0 && !confirm(`${store.plural(waiting, 'count has', 'counts have')} not been sent yet. Signing out removes them from this device. Sign out anyway?`)) {
			event.preventDefault();
		}
	});

	store.onConnection(showConnection, () => kept, push);

	(async () => {
		panel.hidden = false;
		await store.removeExpired();
		manifest = await store.findKept(key);
		if (manifest) {
			showStored(manifest, await store.queued(key));
			showKept(true);
			if (navigator.onLine) {
				void navigator.serviceWorker.register('/service-worker.js');
				void push().then((pushed) => (pushed ? undefined : pull().catch(() => undefined)));
			}
		}
		await showConnection();
	})();
})();
