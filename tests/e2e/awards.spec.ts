import { readFile } from 'node:fs/promises';
import { expect, test, type Download, type Locator, type Page } from '@playwright/test';
import { PDFDocument } from 'pdf-lib';
import { expectAccessible, signIn, visit } from './helpers';

test('a programme lead opens the John Muir Award and adds a group, an empty name first', async ({ page }) => {
	await signIn(page, 'lead@demo.test');
	await visit(page, '/programmes');
	await page.getByRole('link', { name: 'John Muir Award' }).first().click();
	await expect(page.getByRole('heading', { level: 1, name: 'John Muir Award' })).toBeVisible();
	await expectAccessible(page);

	await page.getByRole('link', { name: 'Awards', exact: true }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Awards' })).toBeVisible();
	await expectAccessible(page);

	await page.getByRole('button', { name: 'Add group' }).click();
	await expect(page).toHaveTitle(/^Error: /);
	await expect(page.locator('.govuk-error-summary')).toBeFocused();
	await expect(page.locator('.govuk-error-summary')).toContainText('Enter a name for the group');
	await expectAccessible(page);

	const name = `Samphire Hoe Rangers ${Date.now().toString(36)}`;
	await page.getByLabel('Group name').fill(name);
	await page.getByLabel("Leader's name (optional)").fill('Ann Leader');
	await page.getByLabel('John Muir Trust proposal reference (optional)').fill('JMT-2019-01');
	await page.getByRole('button', { name: 'Add group' }).click();
	await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
	await expect(page.getByText('Group added.')).toBeVisible();
	await expectAccessible(page);

	await page.getByRole('link', { name: 'Back to awards' }).click();
	await expect(page.getByRole('link', { name })).toBeVisible();
	await expectAccessible(page);
});

/** Opens one of the seeded award groups as the lead finds it: programmes, the award, its groups. */
async function openGroup(page: Page, name: string): Promise<void> {
	await page.goto('/programmes');
	await page.getByRole('link', { name: 'John Muir Award' }).first().click();
	await page.getByRole('link', { name: 'Awards', exact: true }).click();
	await page.getByRole('link', { name, exact: true }).click();
	await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

/** Clicks a link and waits for the file it downloads. */
async function download(page: Page, link: Locator): Promise<Download> {
	const [file] = await Promise.all([page.waitForEvent('download'), link.click()]);
	return file;
}

/** A downloaded file that is a PDF: the signature first, and pdf-lib can open it and count its pages. */
async function expectPdf(file: Download): Promise<PDFDocument> {
	const bytes = await readFile((await file.path())!);
	expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
	const pdf = await PDFDocument.load(bytes);
	expect(pdf.getPageCount()).toBeGreaterThanOrEqual(1);
	return pdf;
}

const cards = (page: Page) => page.locator('section.govuk-summary-card');
const cardTitle = async (card: Locator) => ((await card.getByRole('heading', { level: 3 }).textContent()) ?? '').trim();

test('a lead logs a day for a participant, is refused a sign-off that the rules do not allow, and downloads certificates', async ({ browser, page }) => {
	await signIn(page, 'lead@demo.test');
	await openGroup(page, 'Samphire Hoe Rangers 2018-19');
	await expectAccessible(page);

	// Someone still working towards their award: log a day that served Conserve and Share.
	const inProgress = cards(page).filter({ hasText: 'Not yet eligible' }).first();
	const cardId = (await inProgress.getAttribute('id'))!;
	const name = await cardTitle(inProgress);
	const card = page.locator(`[id="${cardId}"]`);
	const daysBefore = await card
		.locator('dd')
		.filter({ hasText: /\d{4}:/ })
		.getByRole('listitem')
		.count();
	await card.getByLabel('Date', { exact: true }).fill('2019-07-13');
	await card.getByLabel('Conserve', { exact: true }).check();
	await card.getByLabel('Share', { exact: true }).check();
	await card.getByRole('button', { name: `Log day for ${name}` }).click();
	await expect(page.getByText('Day logged.')).toBeVisible();
	await expect(card.getByRole('listitem').filter({ hasText: '13 July 2019: Conserve, Share' })).toHaveCount(1);
	await expect(
		card
			.locator('dd')
			.filter({ hasText: /\d{4}:/ })
			.getByRole('listitem')
	).toHaveCount(daysBefore + 1);
	await expectAccessible(page);

	// Still too few days: sign-off is refused with the rule's own words, and nothing is signed off.
	await card.getByRole('button', { name: `Sign off award for ${name}` }).click();
	await expect(page).toHaveTitle(/^Error: /);
	const summary = page.locator('.govuk-error-summary');
	await expect(summary).toBeFocused();
	await expect(summary).toContainText(/\d+ days are needed; \d+ are logged/);
	await expect(summary.getByRole('link').first()).toHaveAttribute('href', `#${cardId}`);
	await expect(card).toContainText('Not yet eligible');
	await expect(card).not.toContainText('Achieved on');
	await expectAccessible(page);

	// A signed-off participant's certificate, then the group's: both PDFs, named without the young person's name.
	await openGroup(page, 'Samphire Hoe Rangers 2018-19');
	const achieved = cards(page).filter({ hasText: 'Achieved on' }).first();
	const achievedName = await cardTitle(achieved);
	const achievedId = (await achieved.getAttribute('id'))!.replace('participant-', '');
	const nameParts = achievedName.toLowerCase().split(/\s+/);
	const certificate = await download(page, achieved.getByRole('link', { name: `Certificate (PDF) for ${achievedName}` }));
	const single = await expectPdf(certificate);
	expect(single.getTitle()).toMatch(/^John Muir Award: /);
	expect(certificate.url()).toContain(`/participants/${achievedId}/certificate.pdf`);
	expect(certificate.suggestedFilename()).toBe(`john-muir-award-samphire-hoe-rangers-2018-19-${achievedId.slice(0, 8)}.pdf`);
	const group = await download(page, page.getByRole('link', { name: 'Group certificate (PDF)' }));
	const groupPdf = await expectPdf(group);
	expect(groupPdf.getTitle()).toBe('John Muir Award: Samphire Hoe Rangers 2018-19');
	expect(group.suggestedFilename()).toBe('john-muir-award-samphire-hoe-rangers-2018-19.pdf');
	for (const file of [certificate, group]) {
		const where = `${file.url()} ${file.suggestedFilename()}`.toLowerCase();
		for (const part of nameParts) expect(where).not.toContain(part);
	}
	expect(page.url().toLowerCase()).not.toContain(nameParts.at(-1)!);

	// The audit log records the certificates by id, never by name.
	const admin = await browser.newContext();
	const adminPage = await admin.newPage();
	await signIn(adminPage, 'admin@demo.test');
	await visit(adminPage, '/audit?action=award.certificate_issued');
	await expect(adminPage.getByRole('cell', { name: `Award participant ${achievedId}` }).first()).toBeVisible();
	await expect(adminPage.locator('main')).not.toContainText(achievedName);
	await adminPage.goto('/audit?action=award.group_certificate_issued');
	await expect(adminPage.getByRole('cell', { name: 'Award group certificate issued' }).first()).toBeVisible();
	await expect(adminPage.locator('main')).not.toContainText(achievedName);
	await admin.close();
});

test("a school contact cannot open the certificates of another school's pupils", async ({ browser, page }) => {
	// The lead finds a signed-off participant from a school other than Astor College.
	const lead = await browser.newContext();
	const leadPage = await lead.newPage();
	await signIn(leadPage, 'lead@demo.test');
	await openGroup(leadPage, 'White Cliffs Explorers 2018-19');
	const achieved = cards(leadPage).filter({ hasText: 'Achieved on' }).first();
	await expect(achieved.locator('.govuk-summary-list__row').filter({ hasText: 'School' }).locator('dd')).not.toHaveText('Astor College');
	const certificateUrl = new URL((await achieved.getByRole('link', { name: /^Certificate \(PDF\)/ }).getAttribute('href'))!, leadPage.url()).pathname;
	const groupUrl = new URL((await leadPage.getByRole('link', { name: 'Group certificate (PDF)' }).getAttribute('href'))!, leadPage.url()).pathname;
	await lead.close();

	await signIn(page, 'school@demo.test');
	for (const url of [certificateUrl, groupUrl]) {
		const response = await page.goto(url);
		expect(response?.status(), url).toBe(404);
		expect(response?.headers()['content-type']).not.toContain('application/pdf');
		await expectAccessible(page);
	}
});
