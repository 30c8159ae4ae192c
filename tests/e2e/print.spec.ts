import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, signIn } from './helpers';

// What is printed for the day and put up in the hall: the carousel timetable on A4 with every
// workstation, the PCC return in a page per programme plus a summary, and the session code in
// large print with a QR code. PDFs come from Chromium's own print (page.pdf uses print CSS);
// their text and pages are read with poppler's pdftotext and pdfinfo.

const STATIONS = ['Gangs', 'Substances', 'Fire safety', 'Water safety', 'Internet safety', 'Anti-social behaviour', 'Healthy relationships', 'Personal safety'];

const out = mkdtempSync(join(tmpdir(), 'print-'));

async function printToPdf(page: Page, name: string): Promise<{ file: string; text: string; pages: number }> {
	await page.emulateMedia({ media: 'print' });
	// preferCSSPageSize: the page's own @page size (landscape for the timetable) wins, as in a browser's print.
	const pdf = await page.pdf({ preferCSSPageSize: true, format: 'A4', printBackground: false });
	const file = join(out, `${name}.pdf`);
	writeFileSync(file, pdf);
	const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
	const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file]).toString())![1]);
	await page.emulateMedia({ media: 'screen' });
	return { file, text, pages };
}

/** The pages of a PDF that hold no text at all. */
function blankPages(file: string, pages: number): number[] {
	const blank: number[] = [];
	for (let p = 1; p <= pages; p++) {
		const text = execFileSync('pdftotext', ['-f', String(p), '-l', String(p), file, '-']).toString();
		if (text.trim() === '') blank.push(p);
	}
	return blank;
}

async function pastSession(page: Page, programme: string): Promise<string> {
	await page.goto('/programmes');
	await page.getByRole('link', { name: programme }).click();
	const href = (await page.getByRole('table', { name: 'Past sessions' }).getByRole('link').first().getAttribute('href'))!;
	return href.replace(/\/(register|timetable)$/, '');
}

test('the carousel timetable prints on A4 with all eight workstations, each register headed, no link addresses or blank pages', async ({ page }) => {
	await signIn(page, 'lead@demo.test');
	const session = await pastSession(page, 'Safety in Action Week');
	await page.goto(`${session}/timetable`);
	await expect(page.getByRole('table', { name: 'Where each group is, rotation by rotation' })).toBeVisible();
	const { file, text, pages } = await printToPdf(page, 'timetable');

	// The grid's header row, on the first sheet, names every workstation (a long name may wrap in its cell).
	const firstPage = execFileSync('pdftotext', ['-raw', '-f', '1', '-l', '1', file, '-']).toString().replace(/\s+/g, ' ');
	for (const station of STATIONS) expect(firstPage, `${station} on the printed timetable`).toContain(station);
	// Landscape A4: 842 by 595 points.
	expect(execFileSync('pdfinfo', [file]).toString()).toMatch(/Page size:\s+841\.\d+ x 59[45]\.\d+ pts/);
	// The timetable, then a sheet per workstation register: no sheet blank or holding only a heading.
	expect(blankPages(file, pages)).toEqual([]);
	const venue = (await page.locator('h1 + p').first().textContent())!.split('.')[0]!;
	const registerSheets: string[] = [];
	for (let p = 2; p <= pages; p++) {
		const sheet = execFileSync('pdftotext', ['-raw', '-f', String(p), '-l', String(p), file, '-'])
			.toString()
			.replace(/\s+/g, ' ');
		const station = STATIONS.find((s) => sheet.includes(`${s}: `));
		if (station) {
			// Each workstation's register says which day, session and place it is for.
			registerSheets.push(station);
			expect(sheet).toContain('Safety in Action Week, ');
			expect(sheet).toContain(venue);
		} else {
			// Otherwise it is the timetable carrying on, with every workstation's column.
			for (const s of STATIONS) expect(sheet, `page ${p} carries the timetable on`).toContain(s);
		}
	}
	expect(registerSheets).toEqual(STATIONS);
	// GOV.UK prints a link's address after it; not on these sheets.
	expect(text).not.toMatch(/\(\/(sessions|programmes)\//);
	expect(text).not.toContain('http://');
});

test('a workstation register prints with its date, session, venue and station, and no link addresses', async ({ page }) => {
	await signIn(page, 'lead@demo.test');
	const session = await pastSession(page, 'Safety in Action Week');
	await page.goto(`${session}/register`);
	await page.getByRole('link', { name: 'Personal safety register' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Register for the Personal safety workstation' })).toBeVisible();
	const caption = (await page.locator('.govuk-caption-l').textContent())!.trim();
	const venue = (await page.locator('h1 + p').textContent())!.split('. ')[1]!.replace(/\.$/, '');
	const { file, text, pages } = await printToPdf(page, 'station-register');
	const flat = text.replace(/\s+/g, ' ');
	expect(flat).toContain(caption.replace(/\s+/g, ' '));
	expect(flat).toContain('Register for the Personal safety workstation');
	expect(flat).toContain(venue);
	expect(blankPages(file, pages)).toEqual([]);
	expect(text).not.toMatch(/\(\/(sessions|programmes)\//);
});

test('the PCC return prints in at most a page per programme plus a summary', async ({ page }) => {
	await signIn(page, 'viewer@demo.test');
	await page.goto('/reports/pcc-return?period=academic&year=2018');
	const programmes = await page.locator('.app-pcc-programme').count();
	expect(programmes).toBeGreaterThan(1);
	const { file, text, pages } = await printToPdf(page, 'pcc-return');
	expect(pages, `${programmes} programmes`).toBeLessThanOrEqual(programmes + 1);
	expect(blankPages(file, pages)).toEqual([]);
	// Every programme is there; the filters and download links are not.
	for (const name of await page.locator('.app-pcc-programme h2').allTextContents()) expect(text).toContain(name.trim());
	expect(text).not.toContain('Download the return');
	expect(text).not.toContain('/reports/');
});

test('a report prints on landscape A4 with every column of its table on the sheet of its caption', async ({ page }) => {
	await signIn(page, 'viewer@demo.test');
	const columns = [
		'Sessions delivered',
		'Schools reached',
		'Young people reached',
		'Attendance rate',
		'Workstation visits',
		'Mentoring hours',
		'Mentees',
		'Conserver awards',
		'Parents and carers',
		'Frontline professionals'
	];
	for (const [address, total, choice] of [
		['/reports?period=academic&year=2018', 'All programmes', 'Programme: All programmes'],
		['/reports/schools?period=academic&year=2018', 'All schools', 'School: All schools']
	] as const) {
		await page.goto(address);
		const table = (await page.locator('.app-report-table caption').textContent())!.trim();
		const { file, pages } = await printToPdf(page, new URL(address, 'http://x').pathname.replaceAll('/', '-'));
		expect(execFileSync('pdfinfo', [file]).toString(), `${table} on landscape A4`).toMatch(/Page size:\s+841\.\d+ x 59[45]\.\d+ pts/);
		// The table's heading row, read in the order it is drawn: a column past the sheet's edge is not drawn at all.
		const sheets = Array.from({ length: pages }, (_, p) =>
			execFileSync('pdftotext', ['-raw', '-f', String(p + 1), '-l', String(p + 1), file, '-'])
				.toString()
				.replace(/\s+/g, ' ')
		);
		const sheet = sheets.find((s) => s.includes(`${table} `));
		expect(sheet, `${table}: its caption on a sheet`).toBeDefined();
		const start = sheet!.indexOf(`${table} `);
		const header = sheet!.slice(start, sheet!.indexOf(total, start));
		for (const column of columns) expect(header, `${table}: the "${column}" column`).toContain(column);
		expect(blankPages(file, pages)).toEqual([]);
		// The choices are printed as words, not as the form that makes them, nor the links to the other views.
		expect(sheets[0], `${table}: the choices on the first sheet`).toContain(choice);
		for (const control of ['Show figures', 'Year it starts', 'Trend by quarter']) expect(sheets.join(' '), `${table}: no "${control}"`).not.toContain(control);
		if (address.startsWith('/reports/schools?')) {
			// The schools' table starts on the first sheet, under the period, rather than leaving it
			// mostly empty, and its total is printed once, at its end, not as if each sheet's.
			expect(sheets[0], `${table}: begun on the first sheet`).toContain(`${table} School`);
			const totals = sheets.join(' ').match(/All schools \d/g) ?? [];
			expect(totals, `${table}: its total printed once`).toHaveLength(1);
			expect(pages, `${table}: on more than one sheet, so the total had sheets to repeat on`).toBeGreaterThan(1);
		}
		if (address.startsWith('/reports?')) {
			// The overview's headline figures begin on its first sheet, under the period, not after a sheet left mostly empty.
			expect(sheets[0]).toContain('Headline figures');
		}
	}
});

test('a lead projects the session code in large print with a QR code for the address', async ({ page, browser }) => {
	await signIn(page, 'lead@demo.test');
	// The Youth Conference has a question set in the demo, and its past sessions have schools booked.
	const session = await pastSession(page, 'Youth Conference');
	await page.goto(`${session}/questions`);
	if ((await page.getByRole('button', { name: 'Close the code now' }).count()) === 0) {
		await page.getByRole('button', { name: 'Open a session code' }).click();
	}
	const code = (await page.locator('#session-code').textContent())!.replace(/\s/g, '');
	await page.getByRole('link', { name: 'Show the code in large print with a QR code' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Answer the questions on your phone' })).toBeVisible();
	await expect(page.locator('#projected-code')).toHaveText(`${code.slice(0, 3)} ${code.slice(3)}`);
	const origin = new URL(page.url()).origin;
	await expect(page.locator('#short-address')).toHaveText(`${new URL(origin).host}/q`);
	const qr = page.getByRole('img', { name: `QR code that opens ${origin}/q?code=${code}` });
	await expect(qr.locator('svg path')).not.toHaveCount(0);
	// Large print: the code is at least 64 CSS pixels high on a projector-sized screen.
	await page.setViewportSize({ width: 1280, height: 720 });
	const size = await page.locator('#projected-code').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
	expect(size).toBeGreaterThanOrEqual(64);
	await expectAccessible(page);
	await page.screenshot({ path: join(out, 'projected-code.png'), fullPage: true });

	// The address the QR code holds opens the form with the code typed in.
	const young = await (await browser.newContext()).newPage();
	await young.goto(`/q?code=${code}`);
	await expect(young.getByRole('textbox').first()).toHaveValue(new RegExp(code.slice(0, 3)));

	// A school contact is not the session's lead: a 404.
	const contact = await (await browser.newContext()).newPage();
	await signIn(contact, 'school@demo.test');
	expect((await contact.goto(`${session}/questions/project`))?.status()).toBe(404);
});

test.afterAll(() => {
	console.log(`printed PDFs and screenshot in ${out}`);
});
