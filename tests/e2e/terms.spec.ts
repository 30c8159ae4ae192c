import { expect, test } from '@playwright/test';
import { expectAccessible, signIn } from './helpers';

test('an admin reads the school terms, with approximations labelled, and a wrong change is explained beside its field', async ({ page }) => {
	await signIn(page, 'admin@demo.test');
	await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'School terms' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'School terms' })).toBeVisible();
	const year = page.getByRole('table', { name: '2026 to 2027' });
	await expect(year.getByRole('row')).toHaveCount(7);
	await expect(year.getByRole('row', { name: /Term 5/ })).toContainText('12 Apr 2027');
	await expect(page.getByRole('table', { name: '2027 to 2028' }).getByText('Approximation', { exact: true }).first()).toBeVisible();
	await expectAccessible(page);

	await year.getByRole('link', { name: 'Change Term 5 of 2026 to 2027' }).click();
	await page.getByLabel('Last day').fill('2027-04-01');
	await page.getByRole('button', { name: 'Save term' }).click();
	await expect(page.locator('.govuk-error-summary')).toBeFocused();
	await expect(page.locator('#lastDay-error')).toContainText('The last day must be the same as or after the first day');
	await expect(page.getByLabel('Last day')).toHaveValue('2027-04-01');
	await expect(page).toHaveTitle(/^Error: /);
	await expectAccessible(page);

	// Overlapping the next term is refused beside the first day.
	await page.getByLabel('Last day').fill('2027-06-10');
	await page.getByRole('button', { name: 'Save term' }).click();
	await expect(page.locator('#firstDay-error')).toContainText('overlap Term 6 of 2026 to 2027');
	await expectAccessible(page);
});

test('the session form skips holidays by default, and a session in the holidays asks first', async ({ page }) => {
	await signIn(page, 'lead@demo.test');
	await page.goto('/programmes');
	await page.getByRole('link', { name: 'Youth Conference' }).click();
	await page.getByRole('link', { name: 'Schedule sessions' }).click();
	await expect(page.getByLabel('Skip school holidays')).toBeChecked();
	await page.getByLabel('Date of the first session').fill('2027-04-08');
	await page.getByLabel('Start time').fill('10:00');
	await page.getByLabel('End time').fill('12:00');
	await page.getByLabel('Venue').fill('Holiday Test Hall');
	await page.getByLabel('Places', { exact: true }).fill('10');
	await page.getByLabel('Booking opens').fill('2027-03-01');
	await page.getByLabel('Booking closes').fill('2027-03-20');
	await page.getByRole('button', { name: 'Schedule' }).click();
	await expect(page.locator('#holiday-warning')).toContainText('in the school holidays between Term 4 and Term 5');
	await expect(page.getByLabel('Schedule it in the school holidays all the same')).not.toBeChecked();
	await expect(page.getByLabel('Venue')).toHaveValue('Holiday Test Hall');
	await expectAccessible(page);
});

test("a lead previews copying last year's Safety in Action Week, and a week that would land in the past is refused", async ({ page }) => {
	await signIn(page, 'lead@demo.test');
	await page.goto('/programmes');
	await page.getByRole('link', { name: 'Safety in Action Week' }).click();
	await page.getByRole('link', { name: "Copy last year's week" }).click();
	await expect(page.getByRole('heading', { level: 1, name: "Copy last year's week" })).toBeVisible();
	await expect(page.getByRole('heading', { level: 2, name: /^10 sessions move from the week of .* \(5[23] weeks later\)$/ })).toBeVisible();
	await expect(page.getByRole('table', { name: 'The new sessions' }).locator('tbody tr')).toHaveCount(10);
	await expect(page.getByRole('table', { name: 'The new sessions' }).locator('tbody tr').first()).toContainText('Betteshanger Country Park');
	await expect(page.getByRole('button', { name: 'Schedule 10 sessions' })).toBeVisible();
	await expectAccessible(page);

	// The 2018-19 week (17 June 2019) would be copied to June 2020, long past.
	await page.getByLabel('Week to copy').selectOption('2019-06-17');
	await page.getByRole('button', { name: 'Show the dates' }).click();
	await expect(page.getByRole('heading', { level: 2, name: /week of .*17 Jun 2019 to the week of .*15 Jun 2020 \(52 weeks later\)/ })).toBeVisible();
	await expect(page.locator('.govuk-warning-text')).toContainText('which has passed');
	await expect(page.getByRole('button', { name: /^Schedule \d+ sessions?$/ })).toHaveCount(0);
	await expectAccessible(page);
});
