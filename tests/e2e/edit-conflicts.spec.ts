import { expect, test } from '@playwright/test';
import { expectAccessible, signIn } from './helpers';

// Two people on one list form (src/lib/server/edit-versions.ts): the second save from a page
// opened before the first is refused with what is saved now beside each field, their values kept.

test('the second of two people renaming the marks is told, keeps their names, sees what is saved now and saves knowingly', async ({ page, browser }) => {
	await signIn(page, 'lead@demo.test');
	await page.goto('/programmes');
	await page.getByRole('link', { name: 'John Muir Award' }).click();
	await page.getByRole('link', { name: 'Change what marks are called on registers' }).click();
	await expect(page).toHaveURL(/\/attendance-labels$/);
	const names = new URL(page.url()).pathname;

	const admin = await (await browser.newContext()).newPage();
	await signIn(admin, 'admin@demo.test');
	await admin.goto(names);

	// The admin renames "Late"; the lead, on the page opened before that, renames "Present".
	await admin.getByLabel('Late', { exact: true }).fill('Arrived late');
	await admin.getByRole('button', { name: 'Save names' }).click();
	await expect(admin.getByText('Attendance names saved.')).toBeVisible();

	await page.getByLabel('Present', { exact: true }).fill('Here');
	await page.getByRole('button', { name: 'Save names' }).click();
	await expect(page).toHaveTitle(/^Error: /);
	const summary = page.locator('.govuk-error-summary');
	await expect(summary).toBeFocused();
	await expect(summary).toContainText('This programme’s set of attendance names was changed by someone else, after you opened this page');
	await expect(page.getByLabel('Present', { exact: true })).toHaveValue('Here');
	await expect(page.getByLabel('Late', { exact: true })).toHaveValue('Late');
	await expect(page.locator('#label_late-error')).toContainText('Late: saved now as ‘Arrived late’');
	await expect(page.locator('#label_present-error')).toContainText('Present: saved now as ‘Present’');
	await expectAccessible(page);

	// Having seen it, the lead puts both back as they were and saves: the names are the demo's again.
	await page.getByLabel('Present', { exact: true }).fill('Present');
	await page.getByRole('button', { name: 'Save names' }).click();
	await expect(page.getByText('Attendance names saved.')).toBeVisible();
	await expect(page.getByLabel('Late', { exact: true })).toHaveValue('Late');
	await admin.context().close();
});
