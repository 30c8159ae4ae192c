// @ts-check
// The named register's helpers, added where scripts run (the page works as plain forms without
// them; src/routes/sessions/[id]/register/+page.svelte). Search by name as you type, filter by
// school and by "not yet marked", totals kept up to date as marks are chosen, and "mark all
// unmarked as present" done on the page, undoable until the register is saved. Served as it
// is, from the same origin, as the Content Security Policy allows.
(function () {
	const form = /** @type {HTMLFormElement | null} */ (document.getElementById('register'));
	if (!form) return;

	// A banner or summary that reports what just happened takes focus, as on other pages.
	const report = /** @type {HTMLElement | null} */ (document.querySelector('.govuk-error-summary, [data-focus], .govuk-notification-banner--success'));
	if (report) {
		report.tabIndex = -1;
		report.focus();
	}

	const tools = /** @type {HTMLElement} */ (document.getElementById('register-tools'));
	const search = /** @type {HTMLInputElement} */ (document.getElementById('register-search'));
	const school = /** @type {HTMLSelectElement} */ (document.getElementById('register-school'));
	const unmarked = /** @type {HTMLInputElement} */ (document.getElementById('register-unmarked'));
	const showing = /** @type {HTMLElement} */ (document.getElementById('register-showing'));
	const allPresent = /** @type {HTMLButtonElement} */ (document.getElementById('all-present'));
	const allPresentDone = /** @type {HTMLElement} */ (document.getElementById('all-present-done'));
	const tables = /** @type {HTMLTableElement[]} */ ([...form.querySelectorAll('table[data-school]')]);
	const rows = tables.flatMap((table, k) =>
		[...table.tBodies[0].rows].map((tr) => ({
			tr,
			school: String(k),
			name: fold(tr.cells[0].textContent ?? ''),
			select: /** @type {HTMLSelectElement} */ (tr.querySelector('select')),
			was: ''
		}))
	);
	// What each row showed when the page loaded (its selected option as sent), read again when
	// /register-offline.js has sent marks or downloaded others' ('register-known').
	const readWas = () => {
		for (const row of rows) row.was = [...row.select.options].find((option) => option.defaultSelected)?.value ?? row.select.value;
	};
	readWas();
	const attended = (form.dataset.attended ?? '').split(' ');

	/** Lower case without accents, so "zoe" finds Zoë. @param {string} text */
	function fold(text) {
		return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
	}

	function filter() {
		const words = fold(search.value).split(/[\s,]+/).filter(Boolean);
		let shown = 0;
		for (const row of rows) {
			const show =
				(school.value === '' || school.value === row.school) &&
				(!unmarked.checked || row.select.value === '') &&
				words.every((word) => row.name.includes(word));
			row.tr.hidden = !show;
			if (show) shown++;
		}
		tables.forEach((table, k) => {
			table.hidden = !rows.some((row) => row.school === String(k) && !row.tr.hidden);
		});
		showing.textContent = shown === rows.length ? '' : `Showing ${shown.toLocaleString('en-GB')} of ${rows.length.toLocaleString('en-GB')} young people.`;
	}

	function totals() {
		/** @type {Record<string, Record<string, number>>} */
		const by = { all: {} };
		for (const row of rows) {
			const code = row.select.value;
			const key = attended.includes(code) ? 'attended' : code;
			by[row.school] ??= {};
			for (const t of [by[row.school], by.all]) t[key] = (t[key] ?? 0) + 1;
			row.select.classList.toggle('app-changed', code !== row.was);
		}
		for (const tr of document.querySelectorAll('ul[data-totals]')) {
			const counts = by[/** @type {HTMLElement} */ (tr).dataset.totals ?? ''] ?? {};
			for (const cell of tr.querySelectorAll('[data-t]')) cell.textContent = String(counts[/** @type {HTMLElement} */ (cell).dataset.t ?? ''] ?? 0);
		}
		const left = by.all[''] ?? 0;
		allPresent.textContent = `Mark all ${left.toLocaleString('en-GB')} unmarked as present`;
		allPresent.disabled = left === 0;
	}

	/** @type {HTMLSelectElement[]} */
	let lastMarked = [];
	allPresent.addEventListener('click', (event) => {
		event.preventDefault();
		lastMarked = rows.map((row) => row.select).filter((select) => select.value === '');
		for (const select of lastMarked) select.value = 'p';
		totals();
		filter();
		const n = lastMarked.length;
		allPresentDone.textContent = `${n.toLocaleString('en-GB')} ${n === 1 ? 'young person' : 'young people'} chosen as present, not saved yet. `;
		const undo = document.createElement('button');
		undo.type = 'button';
		undo.className = 'govuk-button govuk-button--warning govuk-!-margin-bottom-0';
		undo.textContent = 'Undo';
		undo.addEventListener('click', () => {
			for (const select of lastMarked) select.value = '';
			lastMarked = [];
			allPresentDone.textContent = 'Undone: those young people are not marked.';
			totals();
			filter();
			allPresent.focus();
		});
		allPresentDone.append(undo);
	});

	form.addEventListener('change', (event) => {
		if (event.target instanceof HTMLSelectElement) totals();
	});
	form.addEventListener('register-known', () => {
		readWas();
		totals();
		filter();
	});
	search.addEventListener('input', filter);
	school.addEventListener('change', filter);
	unmarked.addEventListener('change', filter);
	totals();
})();
