import { expect, test, type Locator, type Page } from '@playwright/test';
import { cellUnder, columnIndex, expectAccessible, headline, signIn } from './helpers';

// The report pages for the 2018-19 reference year, read as the partnership plan states it:
// 802 Year 8 pupils at the Youth Conference, 256 Year 6 pupils at Safety in Action Week,
// 15 mentors and 300 mentees, 25 John Muir Awards, 6 Gang Awareness workshops and 14 students
// from Astor College in the arts project.

const YEAR_2018 = 'period=academic&year=2018';

/** Fails the test on any Content Security Policy report in the browser console. */
function watchConsole(page: Page): string[] {
	const problems: string[] = [];
	page.on('console', (message) => {
		if (/content security policy|refused to/i.test(message.text())) problems.push(message.text());
	});
	page.on('pageerror', (error) => problems.push(error.message));
	return problems;
}

function rowOf(table: Locator, name: string): Locator {
	return table.locator('tbody tr').filter({ has: table.page().locator('th', { hasText: name }) });
}

async function cell(table: Locator, name: string, measure: string): Promise<string> {
	return (await (await cellUnder(table, rowOf(table, name), measure)).innerText()).trim();
}

/** A column's cells, row by row, under its heading. */
async function columnTexts(table: Locator, measure: string): Promise<string[]> {
	const index = await columnIndex(table, measure);
	return table.locator('tbody tr').evaluateAll((rows, k) => rows.map((row) => (row.children[k] as HTMLElement).innerText.trim()), index);
}

/** The chart is drawn: its canvas has a size and something painted on it. */
async function expectDrawn(figure: Locator): Promise<void> {
	const canvas = figure.locator('canvas[role="img"]');
	await expect(canvas).toHaveAttribute('aria-label', /\S/);
	const box = await canvas.boundingBox();
	expect(box?.width ?? 0).toBeGreaterThan(0);
	expect(box?.height ?? 0).toBeGreaterThan(0);
	await expect
		.poll(() =>
			canvas.evaluate((c: HTMLCanvasElement) => {
				const pixels = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
				let painted = 0;
				for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted++;
				return painted;
			})
		)
		.toBeGreaterThan(0);
}

/** The chart's own table, as [category, ...figures] per row. */
async function chartTable(figure: Locator): Promise<string[][]> {
	return figure.locator('table tbody tr').evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => (c.textContent ?? '').trim())));
}

test('a report viewer reads the district overview for 2018-19 with the plan’s figures and a chart that matches them', async ({ page }) => {
	const problems = watchConsole(page);
	await signIn(page, 'viewer@demo.test');
	await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
	await expect(page.getByRole('heading', { name: 'District overview', level: 1 })).toBeVisible();
	await expectAccessible(page);

	await page.goto(`/reports?${YEAR_2018}`);
	await expect(page.getByText('Academic year 2018 to 2019: 1 September 2018 to 31 August 2019')).toBeVisible();
	const table = page.getByRole('table', { name: 'By programme', exact: true });
	expect(await cell(table, 'Youth Conference', 'youngPeopleReached')).toBe('802');
	expect(await cell(table, 'Safety in Action Week', 'youngPeopleReached')).toBe('256');
	expect(await cell(table, 'Peer Mentoring Programme', 'mentors')).toBe('15');
	expect(await cell(table, 'Peer Mentoring Programme', 'mentees')).toBe('300');
	expect(await cell(table, 'Gang Awareness Workshops', 'sessionsDelivered')).toBe('6');
	expect(await cell(table, 'Dover Smart Arts Project', 'youngPeopleReached')).toBe('14');
	// 25 John Muir Awards, of which the 3 at Conserver level are too few to show a report viewer.
	const awards = await Promise.all(['discovery', 'explorer', 'conserver'].map((level) => cell(table, 'John Muir Award', level)));
	expect(awards).toEqual(['15', '7', 'c']);
	await expect(page.getByRole('table', { name: 'Schools reached by phase' })).toBeVisible();

	const chart = page.getByRole('figure', { name: 'Young people reached by programme' });
	await expectDrawn(chart);
	await expect(chart.locator('canvas')).toHaveAttribute('aria-label', /Youth Conference 802/);
	const programmes = await table.locator('tbody tr th').allInnerTexts();
	const reached = await Promise.all(programmes.map((name) => cell(table, name.trim(), 'youngPeopleReached')));
	expect(await chartTable(chart)).toEqual(programmes.map((name, i) => [name.trim(), reached[i]]));
	// Before and after: the Youth Conference's statements, with their chart.
	const outcomes = page.getByRole('table', { name: /Before-and-after outcomes by programme/ });
	await expect(outcomes.getByRole('row', { name: /Youth Conference/ })).toContainText('160');
	await expectDrawn(page.getByRole('figure', { name: /Mean agreement before and after/ }));
	await expectAccessible(page);
	expect(problems).toEqual([]);
});

test('the report pages with charts open as whole pages from pages SvelteKit runs, so each draws its charts with its one script', async ({ page }) => {
	const problems = watchConsole(page);
	await signIn(page, 'lead@demo.test');
	const onlyTheChartScript = async () => {
		const scripts = await page.locator('script').evaluateAll((all) => all.map((s) => (s as HTMLScriptElement).src || 'inline'));
		expect(scripts).toHaveLength(1);
		expect(scripts[0]).toMatch(/\/_app\/immutable\/workers\/report-page-[\w-]+\.js$/);
	};
	await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
	await expectDrawn(page.getByRole('figure', { name: 'Young people reached by programme' }));
	await onlyTheChartScript();
	// To a hydrated report view and on to a second page with charts: its script runs there too.
	await page.getByRole('navigation', { name: 'Report views' }).getByRole('link', { name: 'This year against last year' }).click();
	await expect(page.getByRole('heading', { name: 'This year against last year', level: 1 })).toBeVisible();
	await page.getByRole('navigation', { name: 'Report views' }).getByRole('link', { name: 'Trend by quarter' }).click();
	await expectDrawn(page.getByRole('figure', { name: 'Young people reached and attendance, quarter by quarter' }));
	await onlyTheChartScript();
	await page.goBack();
	await page.goBack();
	await expectDrawn(page.getByRole('figure', { name: 'Young people reached by programme' }));
	expect(problems).toEqual([]);
});

/** The note under a chart says how many of its figures are hidden, as its table shows them. */
async function expectHiddenNote(chart: Locator): Promise<number> {
	const hidden = (await chartTable(chart)).flat().filter((text) => text === 'c').length;
	const note = chart.getByText(/hidden to protect small numbers/);
	if (hidden === 0) await expect(note).toHaveCount(0);
	else await expect(note).toContainText(hidden === 1 ? '1 figure is' : `${hidden} figures are`);
	return hidden;
}

test('a report viewer filters and sorts the by-school report by keyboard, with hidden figures after those shown', async ({ page }) => {
	const problems = watchConsole(page);
	await signIn(page, 'viewer@demo.test');
	await page.goto(`/reports/schools?${YEAR_2018}`);
	await expectAccessible(page);
	const table = page.locator('table.app-report-table');
	await expect(table.locator('tbody td', { hasText: /^c$/ }).first()).toBeVisible();
	await expect(table.locator('tfoot th')).toHaveText('All schools');
	// The cells carry no classes: the table aligns a school's phase and town left, its figures right.
	const alignments = (cells: Locator) => cells.evaluateAll((all) => all.map((c) => getComputedStyle(c).textAlign));
	const firstRow = await alignments(table.locator('tbody tr').first().locator('td'));
	expect(firstRow.slice(0, 2)).toEqual(['left', 'left']);
	expect(new Set(firstRow.slice(2))).toEqual(new Set(['right']));

	const chart = page.getByRole('figure', { name: 'Attendance by school: attended against places booked' });
	await expectDrawn(chart);
	// So does the chart's table: a school's name as a heading, the figures right.
	await chart.getByText('Show the figures as a table').click();
	const chartRow = chart.locator('tbody tr').first();
	await expect(chartRow.locator('th')).toHaveCSS('font-weight', '700');
	expect(await alignments(chartRow.locator('th, td'))).toEqual(['left', 'right', 'right']);
	await chart.getByText('Show the figures as a table').click();
	// The key to its two series is text above the chart, in the chart's order.
	await expect(chart.locator('.app-chart__key li')).toHaveText(['Places booked', 'Attended']);
	const matchesTable = async () => {
		for (const [school, booked, attended] of await chartTable(chart)) {
			expect([await cell(table, school!, 'placesBooked'), await cell(table, school!, 'attended')]).toEqual([booked, attended]);
		}
	};
	await matchesTable();
	await expectHiddenNote(chart);

	// A report viewer filters by one school at most: a programme's or a phase's schools would be totals to subtract.
	await expect(page.getByLabel('Programme')).toHaveCount(0);
	await expect(page.getByLabel('Phase')).toHaveCount(0);
	const hiddenAttended = (await columnTexts(table, 'attended')).filter((text) => text === 'c').length;

	const sortLink = page.getByRole('link', { name: /^Attended \(sort largest first\)/ });
	await sortLink.focus();
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/sort=attended&dir=desc/);
	await expect(page).toHaveURL(/period=academic&year=2018/);
	await expect(page.getByRole('columnheader', { name: /^Attended/ })).toHaveAttribute('aria-sort', 'descending');
	// The arrow beside it is written as a character reference (ReportTable): the browser shows the arrow.
	await expect(page.getByRole('columnheader', { name: /^Attended/ }).locator('[aria-hidden="true"]')).toHaveText('▼');
	const descending = await columnTexts(table, 'attended');
	const firstHidden = descending.length - hiddenAttended;
	expect(firstHidden).toBeGreaterThan(0);
	expect(descending.slice(firstHidden)).toEqual(Array(hiddenAttended).fill('c'));
	const shown = descending.slice(0, firstHidden).map((text) => Number(text.replace(/,/g, '')));
	expect(shown).toEqual([...shown].sort((a, b) => b - a));
	await expectAccessible(page);

	// The words for screen readers stand apart in the page itself, not only in Chromium's name for the link.
	const smallestFirst = page.getByRole('link', { name: /^Attended \(sort smallest first\)/ });
	expect(await smallestFirst.evaluate((link) => link.textContent)).toMatch(/^\s*Attended \(sort smallest first\)/);
	await smallestFirst.focus();
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/sort=attended&dir=asc/);
	await expect(page.getByRole('columnheader', { name: /^Attended/ })).toHaveAttribute('aria-sort', 'ascending');
	await expect(page.getByRole('columnheader', { name: /^Attended/ }).locator('[aria-hidden="true"]')).toHaveText('▲');
	const ascending = await columnTexts(table, 'attended');
	expect(ascending.slice(ascending.length - hiddenAttended)).toEqual(Array(hiddenAttended).fill('c'));
	expect(ascending.slice(0, ascending.length - hiddenAttended)).toEqual(
		descending
			.slice(0, firstHidden)
			.reverse()
			.sort((a, b) => Number(a) - Number(b))
	);

	await table.getByRole('link', { name: 'Astor College' }).click();
	await expect(page.getByRole('heading', { name: 'Astor College', level: 1 })).toBeVisible();
	await expect(page).toHaveURL(/period=academic&year=2018/);
	await expectAccessible(page);
	expect(problems).toEqual([]);
});

test('a programme’s page shows its figures to a report viewer, and its sessions only to its lead', async ({ browser, page }) => {
	await signIn(page, 'viewer@demo.test');
	await page.goto(`/reports?${YEAR_2018}`);
	await page.getByRole('table', { name: 'By programme', exact: true }).getByRole('link', { name: 'Youth Conference' }).click();
	await expect(page.getByRole('heading', { name: 'Youth Conference', level: 1 })).toBeVisible();
	await expect(headline(page, 'Young people reached').figure).toHaveText('802');
	await expect(page.getByRole('table', { name: 'Sessions in the period' })).toHaveCount(0);
	await expectAccessible(page);
	const address = page.url();

	const context = await browser.newContext();
	const lead = await context.newPage();
	await signIn(lead, 'lead@demo.test');
	await lead.goto(address);
	const sessions = lead.getByRole('table', { name: 'Sessions in the period' });
	await expect(sessions).toBeVisible();
	await expect(sessions.locator('tbody tr')).toHaveCount(1);
	await expect(sessions.locator('tbody tr td').nth(3)).toHaveText('802');
	await expect(sessions.getByRole('link')).toHaveAttribute('href', /^\/sessions\/[0-9a-f-]{36}$/);
	await expectAccessible(lead);
	// A lead sees the figures as they are: all 25 John Muir Awards.
	await lead.goto(`/reports?${YEAR_2018}`);
	const overview = lead.getByRole('table', { name: 'By programme', exact: true });
	const awards = await Promise.all(['discovery', 'explorer', 'conserver'].map((level) => cell(overview, 'John Muir Award', level)));
	expect(awards.reduce((sum, text) => sum + Number(text), 0)).toBe(25);
	// Each programme's page leads with the figures of its kind: mentors and mentees, workstation visits.
	const item = (label: string) => headline(lead, label).item;
	await overview.getByRole('link', { name: 'Peer Mentoring Programme' }).click();
	await expect(headline(lead, 'Mentors').figure).toHaveText('15');
	await expect(item('Mentees')).toBeVisible();
	await expect(item('Workstation visits')).toHaveCount(0);
	await lead.goto(`/reports?${YEAR_2018}`);
	await overview.getByRole('link', { name: 'Safety in Action Week' }).click();
	await expect(item('Workstation visits')).toBeVisible();
	await expect(item('Mentors')).toHaveCount(0);
	await expect(item('Discovery awards')).toHaveCount(0);
	await context.close();
});

test('the trend by quarter shows 2018-19 quarter by quarter, with a line chart that matches the table', async ({ browser, page }) => {
	const problems = watchConsole(page);
	// A report viewer's trend goes by a financial year's four quarters, this year's unless chosen.
	const context = await browser.newContext();
	const viewer = await context.newPage();
	await signIn(viewer, 'viewer@demo.test');
	await viewer.goto('/reports/trend');
	await expect(viewer.getByLabel('Period')).toHaveValue('financial');
	await viewer.goto('/reports/trend?period=financial&year=2018');
	await expect(viewer.getByRole('table', { name: 'Quarter by quarter', exact: true }).locator('tbody tr')).toHaveCount(4);
	await expectAccessible(viewer);
	await context.close();

	await signIn(page, 'lead@demo.test');
	await page.goto('/reports/trend');
	// With no period chosen, the last three academic years.
	await expect(page.getByLabel('Period')).toHaveValue('dates');
	await expectAccessible(page);

	await page.goto(`/reports/trend?${YEAR_2018}`);
	const table = page.getByRole('table', { name: 'Quarter by quarter' });
	// September 2018 to August 2019 touches five financial quarters, the first and last in part.
	await expect(table.locator('tbody tr')).toHaveCount(5);
	const chart = page.getByRole('figure', { name: 'Young people reached and attendance, quarter by quarter' });
	await expectDrawn(chart);
	const quarters = await table.locator('tbody tr th').allInnerTexts();
	const rows = await chartTable(chart);
	expect(rows.map((r) => r[0])).toEqual(quarters.map((q) => q.trim()));
	expect(rows[0]![0]).toBe('Jul to Sept 2018');
	for (const [name, reached, attended, booked] of rows) {
		expect([reached, attended, booked]).toEqual([
			await cell(table, name!, 'youngPeopleReached'),
			await cell(table, name!, 'attended'),
			await cell(table, name!, 'placesBooked')
		]);
	}
	await expectAccessible(page);
	expect(problems).toEqual([]);
});

test('this year against last year: 2019-20 beside 2018-19 from the report views, by keyboard, with hidden figures and no change for them', async ({ page }) => {
	await signIn(page, 'viewer@demo.test');
	await page.goto('/reports?period=academic&year=2019');
	const link = page.getByRole('navigation', { name: 'Report views' }).getByRole('link', { name: 'This year against last year' });
	await link.focus();
	await page.keyboard.press('Enter');
	await expect(page.getByRole('heading', { level: 1, name: 'This year against last year' })).toBeVisible();
	const figures = page.getByRole('table', { name: 'Each figure, both years' });
	await expect(figures.getByRole('columnheader')).toHaveText(['Figure', 'Academic year 2018 to 2019', 'Academic year 2019 to 2020', 'Change']);
	const conference = page.getByRole('table', { name: 'Young people reached by programme, both years' }).getByRole('row', { name: /^Youth Conference/ });
	await expect(conference.getByRole('cell').first()).toHaveText('802');
	// A hidden count has no change beside it.
	for (const row of await figures.locator('tbody tr').all()) {
		const [before, now, change] = await row.getByRole('cell').allInnerTexts();
		if (before === 'c' || now === 'c') expect(change).toBe('–');
	}
	await expectAccessible(page);
});

test('a school contact sees only Astor College against the district, and no other school’s report', async ({ browser, page }) => {
	const context = await browser.newContext();
	const viewer = await context.newPage();
	await signIn(viewer, 'viewer@demo.test');
	await viewer.goto(`/reports/schools?${YEAR_2018}`);
	const other = await viewer.locator('table.app-report-table').getByRole('link', { name: 'Dover Grammar School for Boys' }).getAttribute('href');
	await context.close();

	await signIn(page, 'school@demo.test');
	await page.getByRole('link', { name: "Our school's report" }).click();
	await expect(page).toHaveURL(/\/reports\/schools\/[0-9a-f-]{36}$/);
	await expect(page.getByRole('heading', { name: 'Astor College', level: 1 })).toBeVisible();
	// The phase as a word in the text itself, not a code made to look like one by CSS.
	await expect(page.getByText(/school in Dover, beside the district's/)).toHaveText(/^Secondary school in Dover, beside the district's \d+ schools\.$/);
	await expectAccessible(page);

	await page.getByLabel('Year it starts').fill('2018');
	await page.getByRole('button', { name: 'Show figures' }).click();
	await expect(page).toHaveURL(/period=academic&year=2018/);
	const beside = page.getByRole('table', { name: 'Astor College beside the district' });
	await expect(beside.getByRole('columnheader')).toHaveText(['Figure', 'Astor College', 'District']);
	const own = Number((await rowOf(beside, 'Young people reached').locator('td').first().innerText()).replace(/,/g, ''));
	expect(own).toBeGreaterThan(14);
	await expect(page.getByLabel('School', { exact: true })).toHaveCount(0);
	await expect(page.locator('main')).not.toContainText('Dover Grammar School for Boys');
	await expectAccessible(page);

	const refused = await page.goto(other!);
	expect(refused?.status()).toBe(404);
	await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
	expect((await page.goto(`/reports/trend?${YEAR_2018}`))?.status()).toBe(404);
});

test('a bad period shows the error summary, with the message beside the field and the value kept', async ({ browser, page }) => {
	// A range of dates is for those who see figures as they are: a report viewer asking for one is told beside the field.
	const context = await browser.newContext();
	const viewer = await context.newPage();
	await signIn(viewer, 'viewer@demo.test');
	await viewer.goto('/reports?period=dates&from=2018-09-01&to=2019-01-23');
	await expect(viewer.locator('#period-error')).toContainText('Choose an academic year, a financial year or a quarter');
	await expect(viewer.getByLabel('Period')).toHaveValue('dates');
	await expect(viewer.getByLabel('First day')).toHaveValue('2018-09-01');
	await expect(viewer.locator('table.app-report-table')).toHaveCount(0);
	await expectAccessible(viewer);
	await context.close();

	await signIn(page, 'lead@demo.test');
	await page.goto('/reports/schools?period=academic&year=20x8');
	await expect(page).toHaveTitle(/^Error: /);
	const summary = page.locator('.govuk-error-summary');
	await expect(summary).toContainText('Enter the year the period starts as 4 digits');
	await expect(page.locator('#year-error')).toContainText('Enter the year the period starts as 4 digits');
	await expect(page.getByLabel('Year it starts')).toHaveValue('20x8');
	await expect(page.getByText('Correct the choices above to see the figures.')).toBeVisible();
	await expect(page.locator('table.app-report-table')).toHaveCount(0);
	await expectAccessible(page);

	await page.getByLabel('Period').selectOption('dates');
	await page.getByLabel('First day').fill('2019-02-30');
	await page.getByLabel('Last day').fill('2019-08-31');
	await page.getByRole('button', { name: 'Show figures' }).click();
	await expect(summary).toContainText('Enter the first day as a real date');
	await expect(page.getByLabel('First day')).toHaveValue('2019-02-30');
	await expect(page.getByLabel('Year it starts')).toHaveCount(0);
	await expectAccessible(page);
});

test('without JavaScript the choices, sorting and the figures behind each chart still work', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await signIn(page, 'viewer@demo.test');
	await page.goto(`/reports/schools?${YEAR_2018}`);
	const chart = page.getByRole('figure', { name: 'Attendance by school: attended against places booked' });
	// No canvas to draw on: the table of the chart's figures is open instead.
	await expect(chart.locator('canvas')).toHaveCount(0);
	await expect(chart.locator('table')).toBeVisible();
	// axe runs as a script in the page, so it can't check this one; the same page with JavaScript is checked above.

	// Every period field this reader may use is offered (a viewer has no range of dates); those the chosen kind does not use are ignored.
	await expect(page.getByLabel('Quarter')).toBeVisible();
	await expect(page.getByLabel('First day')).toHaveCount(0);
	await page.getByLabel('Period').selectOption('financial');
	await page.getByLabel('Year it starts').fill('2019');
	await page.getByRole('button', { name: 'Show figures' }).click();
	await expect(page.getByText('Financial year 2019 to 2020: 1 April 2019 to 31 March 2020')).toBeVisible();

	await page.getByRole('link', { name: /^Young people reached \(sort largest first\)/ }).click();
	await expect(page).toHaveURL(/sort=youngPeopleReached&dir=desc/);
	await expect(page).toHaveURL(/period=financial&year=2019/);
	await expect(page.getByRole('columnheader', { name: /^Young people reached/ })).toHaveAttribute('aria-sort', 'descending');
	await context.close();
});

test('the report pages are written in Latin-1 characters only, so the server holds each in one byte a character', async ({ page }) => {
	// One character beyond Latin-1 anywhere in a page (a dash in its title, an arrow) makes V8
	// hold the whole rendered page in two bytes a character: on a county's 360 KB by-school page,
	// flattening and encoding it took 0.83 ms instead of 0.31. Such characters are written as
	// references (titleHtml in $lib/html.ts, ReportTable's arrows); the browser shows the same.
	// (Control characters other than tab and line ends are Latin-1, but have no place in a page either.)
	await signIn(page, 'viewer@demo.test');
	for (const path of ['/reports', '/reports/schools', '/reports/schools?sort=attended&dir=desc', '/reports/schools?sort=name&dir=asc', '/reports/trend']) {
		const response = await page.request.get(`${path}${path.includes('?') ? '&' : '?'}${YEAR_2018}`);
		expect(response.status(), path).toBe(200);
		const beyond = [...new Set((await response.text()).match(/[^\t\n\r\u0020-\u00ff]/gu) ?? [])];
		expect(beyond, path).toEqual([]);
	}
	await page.goto(`/reports?${YEAR_2018}`);
	await expect(page).toHaveTitle('District overview – Reports – Youth Programmes Tracker');
});
