import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import readXlsxFile from 'read-excel-file/node';
import { expectAccessible, signIn } from './helpers';

// The return to the Police and Crime Commissioner: a report viewer downloads it and the file
// opens with the expected sheets, the plan's figures and no one's name; a lead writes a
// programme's narrative, a mistake first.

const year2018 = '?period=academic&year=2018';

test('a report viewer downloads the PCC return, which opens with its sheets, the figures and no names', async ({ page }) => {
	await signIn(page, 'viewer@demo.test');
	await page.goto('/reports');
	// With no period chosen, reports open on the latest year with sessions delivered (the demo's last is 2019-20), not an empty current year.
	await expect(page.getByLabel('Year it starts')).toHaveValue('2019');
	await expect(page.getByText('Academic year 2019 to 2020', { exact: true })).toBeVisible();
	await page.getByRole('navigation', { name: 'Report views' }).getByRole('link', { name: 'Return to the PCC' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Return to the Police and Crime Commissioner' })).toBeVisible();
	await expectAccessible(page);

	await page.goto(`/reports/pcc-return${year2018}`);
	await expect(page.getByRole('heading', { level: 2, name: 'Youth Conference' })).toBeVisible();
	await expect(page.getByRole('table', { name: 'Outputs and outcomes' }).first()).toBeVisible();
	// A viewer reads narratives but cannot write them.
	await expect(page.getByRole('button', { name: /Save narrative/ })).toHaveCount(0);
	await expectAccessible(page);

	const download = page.waitForEvent('download');
	await page.getByRole('link', { name: 'Download the return as a spreadsheet (XLSX)' }).click();
	const file = await (await download).path();
	const workbook = await readXlsxFile(readFileSync(file!));
	expect(workbook.map((s) => s.sheet)).toEqual(['Programmes', 'Outcomes', 'About']);
	const [header, ...rows] = workbook[0]!.data;
	const reached = header!.indexOf('Young people reached');
	expect(rows.find((r) => r[0] === 'Youth Conference')![reached]).toBe(802);
	expect(rows.find((r) => r[0] === 'Safety in Action Week')![reached]).toBe(256);
	expect(rows.flat()).toContain('c');
	// The demo's young people have surnames like these; none is in the file.
	const text = JSON.stringify(workbook);
	for (const surname of ['Smith', 'Kowalski', "O'Brien", 'Lewis-Hunt', 'Hussain']) expect(text).not.toContain(surname);

	const csv = page.waitForEvent('download');
	await page.getByRole('link', { name: 'Download the programmes as CSV' }).click();
	const csvText = readFileSync((await (await csv).path())!, 'utf8');
	expect(csvText.startsWith('\uFEFFProgramme,Partnership priority,PCC plan priorities')).toBe(true);
	expect(csvText).toContain('Youth Conference,Safeguarding');
});

test('a lead writes a narrative for the return, too long first', async ({ page }) => {
	await signIn(page, 'lead@demo.test');
	await page.goto(`/reports/pcc-return${year2018}`);
	const narrative = page.getByLabel('Narrative for Gang Awareness Workshops');
	await narrative.fill('x'.repeat(1501));
	await page.getByRole('button', { name: 'Save narrative for Gang Awareness Workshops' }).click();
	await expect(page).toHaveTitle(/^Error: /);
	await expect(page.locator('.govuk-error-summary')).toBeFocused();
	await expect(page.locator('.govuk-error-summary')).toContainText('1500 characters or fewer');
	await expect(narrative).toHaveValue('x'.repeat(1501));
	await expectAccessible(page);

	await narrative.fill('Six evening workshops at secondary schools; parents said they felt more able to spot the signs.');
	await page.getByRole('button', { name: 'Save narrative for Gang Awareness Workshops' }).click();
	await expect(page.getByText('Narrative for Gang Awareness Workshops saved.')).toBeVisible();
	await expect(page.getByLabel('Narrative for Gang Awareness Workshops')).toHaveValue(/Six evening workshops/);
	await expectAccessible(page);
});
