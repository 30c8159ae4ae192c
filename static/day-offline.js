// @ts-check
// "Take the day's registers with you" (issue 12): one button keeps every register the page
// lists (named, headcount, workstation) on this device, as each register's own "Keep this
// register on this device" would (/register-offline.js, /counts-offline.js): its data in
// IndexedDB and its page in the service worker's cache, with this page too, so it can be
// opened without signal to reach them. The page then says which are kept, and lists everything
// this device keeps. Kept registers go after 7 days; signing out clears everything.
(function start() {
	const store = /** @type {any} */ (window).offlineRegisters;
	// /offline-store.js not run yet (scripts inserted by the app in the browser run in any order).
	if (!store && 'indexedDB' in window && 'caches' in window) {
		window.addEventListener('offline-registers', start, { once: true });
		return;
	}
	// Rendered on the server only: a refused day's error summary takes focus here, as on other pages.
	const summary = /** @type {HTMLElement | null} */ (document.querySelector('.govuk-error-summary'));
	summary?.focus();

	const panel = /** @type {HTMLElement | null} */ (document.getElementById('offline-day'));
	const keptSection = /** @type {HTMLElement | null} */ (document.getElementById('offline-kept'));
	if (!store || !keptSection || !window.isSecureContext || !('serviceWorker' in navigator)) return;

	/**
	 * @typedef {{ key: string, kind: 'named' | 'headcount' | 'station', path: string, manifest: string, title: string }} Register
	 * @typedef {{ sessionId: string, keptAt: number, startsAt?: string, path?: string, title?: string, rows?: unknown[], cells?: unknown[] }} Kept
	 */
	const rows = /** @type {HTMLTableRowElement[]} */ ([...document.querySelectorAll('tr[data-register]')]);
	/** @type {{ register: Register, row: HTMLTableRowElement, label: string }[]} */
	const listed = rows.map((row) => {
		const register = /** @type {Register} */ (JSON.parse(row.dataset.register ?? '{}'));
		const link = row.querySelector('a');
		return { register, row, label: link?.textContent?.trim() ?? register.title };
	});
	const button = /** @type {HTMLButtonElement | null} */ (document.getElementById('offline-keep-all'));
	const report = /** @type {HTMLElement} */ (document.getElementById('offline-report'));
	const list = /** @type {HTMLElement} */ (document.getElementById('kept-list'));
	const none = /** @type {HTMLElement} */ (document.getElementById('kept-none'));
	const paragraph = store.paragraph;

	/** Keeps one register: its data as its own page keeps it, and its page. @param {Register} r @param {string} label */
	async function keep(r, label) {
		const fresh = await store.download(r.manifest);
		const earlier = await store.findKept(r.key);
		const keptAt = earlier?.keptAt ?? Date.now();
		// A named register is kept as /register-offline.js keeps it, so its page finds it.
		const entry = r.kind === 'named' ? { ...fresh, sessionId: r.key, keptAt } : { ...fresh, sessionId: r.key, path: r.path, kind: r.kind, title: label, keptAt };
		await store.putKept(entry);
		await store.keepPage(r.path);
	}

	/** What this device keeps, each a link to its page, and which of the day's registers are among them. */
	async function showKept() {
		/** @type {Kept[]} */
		const all = await store.allKept();
		const keys = new Set(all.map((k) => k.sessionId));
		for (const { register, row } of listed) {
			const cell = /** @type {HTMLElement} */ (row.querySelector('[data-kept]'));
			cell.replaceChildren();
			if (keys.has(register.key)) {
				const tag = Object.assign(document.createElement('strong'), { className: 'govuk-tag govuk-tag--green', textContent: 'Kept' });
				cell.append(tag);
			} else cell.textContent = 'Not kept';
		}
		const titleOf = new Map(listed.map(({ register, label }) => [register.key, label]));
		list.replaceChildren(
			...all
				.sort((a, b) => String(a.startsAt ?? '').localeCompare(String(b.startsAt ?? '')) || a.sessionId.localeCompare(b.sessionId))
				.map((k) => {
					const item = document.createElement('li');
					const when = k.startsAt
						? new Date(k.startsAt).toLocaleString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' })
						: '';
					const title = titleOf.get(k.sessionId) ?? k.title ?? 'Named register';
					item.append(Object.assign(document.createElement('a'), { className: 'govuk-link', href: store.pathOf(k), textContent: `${title}${when ? `, ${when}` : ''}` }));
					item.append(`: kept until ${store.keptUntil(k.keptAt)}`);
					return item;
				})
		);
		none.hidden = all.length > 0;
		keptSection.hidden = false;
		return all.length;
	}

	button?.addEventListener('click', async () => {
		button.disabled = true;
		report.replaceChildren(paragraph(`Keeping ${store.plural(listed.length, 'register', 'registers')} on this device…`));
		/** @type {string[]} */
		const failed = [];
		try {
			await store.startWorker();
			for (const { register, label } of listed) {
				await keep(register, label).catch(() => failed.push(label));
			}
			await store.keepPage(location.pathname + location.search).catch(() => undefined);
			// This page is kept by its path alone, whatever day it shows, as the service worker asks for it.
			const cache = await caches.open('registers');
			const page = await cache.match(location.pathname + location.search);
			if (page) {
				await cache.put(location.pathname, page);
				if (location.search) await cache.delete(location.pathname + location.search);
			}
		} catch {
			failed.push('all');
		}
		button.disabled = false;
		await showKept();
		const kept = listed.length - failed.length;
		const nodes = [paragraph(`${store.plural(kept, 'register is', 'registers are')} now kept on this device.`, 'govuk-body govuk-!-font-weight-bold')];
		if (failed.length > 0) {
			const box = document.createElement('div');
			box.className = 'govuk-error-summary';
			box.innerHTML =
				'<div role="alert"><h2 class="govuk-error-summary__title">Some registers could not be kept on this device</h2><div class="govuk-error-summary__body"><p class="govuk-body">Check the connection and try again.</p></div></div>';
			nodes.push(box);
		}
		report.replaceChildren(...nodes);
		report.focus();
	});

	// Pages kept by another script of this page (/log-day-offline.js: meetings and award days) are listed too.
	window.addEventListener('offline-kept-changed', () => void showKept());

	(async () => {
		if (panel) panel.hidden = false;
		await store.removeExpired();
		await showKept();
	})();
})();
