import { readFile } from 'node:fs/promises';
import { strFromU8, unzipSync } from 'fflate';
import { expect, test } from '@playwright/test';
import { expectAccessible, signIn, visit } from './helpers';

// A young person's data over its lifetime, as the people who answer requests use it: the school
// downloads everything held about one of its pupils, an admin erases them on request, and the
// privacy notice is public.

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

test('a school contact downloads everything held about a pupil, then an admin erases them, twice refused', async ({ browser }) => {
	test.setTimeout(240_000);
	const school = await (await browser.newContext()).newPage();
	await signIn(school, 'school@demo.test');
	await school.goto('/young-people');
	const href = await school.locator(`a[href^="/young-people/"]`).evaluateAll((links, pattern) => {
		const ids = links.map((a) => a.getAttribute('href')!).filter((h) => new RegExp(`^/young-people/${pattern}$`).test(h));
		return ids[ids.length - 1];
	}, UUID);
	expect(href).toBeTruthy();
	await visit(school, href!);
	const name = (await school.getByRole('heading', { level: 1 }).textContent())!.trim();

	const [file] = await Promise.all([school.waitForEvent('download'), school.getByRole('link', { name: /Download everything held about/ }).click()]);
	expect(file.suggestedFilename()).toMatch(new RegExp(`^subject-access-${UUID}-\\d{4}-\\d{2}-\\d{2}\\.zip$`));
	const files = unzipSync(await readFile((await file.path())!));
	expect(Object.keys(files)).toEqual(expect.arrayContaining(['summary.html', 'record.csv', 'attendance.csv', 'everything.json']));
	expect(strFromU8(files['summary.html']!)).toContain(`Personal data held about ${name}`);
	// A school contact is not offered erasure, and cannot reach it.
	await expect(school.getByRole('link', { name: /^Erase/ })).toHaveCount(0);
	expect((await school.goto(`${href}/erase`))?.status()).toBe(404);

	const admin = await (await browser.newContext()).newPage();
	await signIn(admin, 'admin@demo.test');
	await visit(admin, href!);
	await admin.getByRole('link', { name: `Erase ${name}'s personal data` }).click();
	await expect(admin.getByRole('heading', { name: "Erase a young person's personal data" })).toBeVisible();
	await expect(admin.getByText('Certificates, exports and emails already downloaded or sent are outside the app')).toBeVisible();
	await expectAccessible(admin);

	await admin.getByRole('button', { name: 'Erase personal data' }).click();
	await expect(admin).toHaveTitle(/^Error: /);
	await expect(admin.locator('.govuk-error-summary')).toBeFocused();
	await expectAccessible(admin);

	await admin.getByLabel('Reason for erasing').fill('Request from the parent by email, 2 December 2026');
	await admin.getByRole('button', { name: 'Erase personal data' }).click();
	await expect(admin).toHaveURL(new RegExp(`${href}$`));
	await expect(admin.getByText('Personal data erased.')).toBeVisible();
	await expect(admin.getByRole('heading', { level: 1 })).toHaveText('Anonymised young person');
	await expect(admin.getByTestId('status')).toContainText('Anonymised');
	await expectAccessible(admin);

	await admin.goto(`${href}/erase`);
	await expect(admin.getByTestId('already')).toBeVisible();
	await admin.getByLabel('Reason for erasing').fill('Asked again');
	await admin.getByRole('button', { name: 'Erase personal data' }).click();
	await expect(admin.locator('.govuk-error-summary')).toContainText('already been anonymised');
	await expectAccessible(admin);

	// The school's list no longer holds the name.
	await school.goto(`/young-people?search=${encodeURIComponent(name.split(' ').at(-1)!)}&include=archived`);
	await expect(school.getByText(name)).toHaveCount(0);
});

test('the privacy notice is public and linked from every page', async ({ page }) => {
	await page.goto('/sign-in');
	await page.getByRole('link', { name: 'Privacy notice' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Privacy notice for schools, parents and carers' })).toBeVisible();
	await expectAccessible(page);
});
