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
	// The selects found in one pass, as /register-offline.js does: a query per row costs a tablet
	// a quarter of a second on an 802-name register. A row's name is folded when first searched.
	const selects = /** @type {NodeListOf<HTMLSelectElement>} */ (form.querySelectorAll('table[data-school] tbody select'));
	/** @type {{ tr: HTMLTableRowElement, school: string, name: string, select: HTMLSelectElement, was: string }[]} */
	const rows = [];
	let k = 0;
	let end = tables[0]?.tBodies[0].rows.length ?? 0;
	for (const select of selects) {
		while (rows.length === end && k < tables.length - 1) end += tables[++k].tBodies[0].rows.length;
		rows.push({ tr: /** @type {HTMLTableRowElement} */ (select.closest('tr')), school: String(k), name: '', select, was: '' });
	}
	// What each row showed when the page loaded (its selected option as sent), read again when
	// /register-offline.js has sent marks or downloaded others' ('register-known').
	const readWas = () => {
		for (const row of rows) {
			const options = row.select.options;
			row.was = row.select.value;
			for (let i = 0; i < options.length; i++) {
				if (options[i].defaultSelected) {
					row.was = options[i].value;
					break;
				}
			}
		}
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
				words.every((word) => (row.name ||= fold(row.tr.cells[0].textContent ?? '')).includes(word));
			row.tr.hidden = !show;
			if (show) shown++;
		}
		tables.forEach((table, k) => {
			// The table's wrapper, so that a school with nobody shown holds no space at all.
			const wrapper = /** @type {HTMLElement} */ (table.parentElement);
			wrapper.hidden = !rows.some((row) => row.school === String(k) && !row.tr.hidden);
		});
		form.classList.toggle('app-register-filtered', shown !== rows.length);
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
			for (const cell of tr.querySelectorAll('[data-t]')) write(cell, String(counts[/** @type {HTMLElement} */ (cell).dataset.t ?? ''] ?? 0));
		}
		const left = by.all[''] ?? 0;
		write(allPresent, `Mark all ${left.toLocaleString('en-GB')} unmarked as present`);
		allPresent.disabled = left === 0;
	}

	/** Text written only where it differs: each write makes the browser lay the page out again. @param {Element} element @param {string} text */
	function write(element, text) {
		if (element.textContent !== text) element.textContent = text;
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
	// The server sent the totals of the marks it sent; the browser may have put back choices
	// made before a reload, and then they are counted again.
	if (rows.some((row) => row.select.value !== row.was)) totals();
})();
