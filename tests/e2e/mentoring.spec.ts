import { expect, test } from '@playwright/test';
import { expectAccessible, signIn } from './helpers';

/** The academic year holding today in the UK, by the calendar year it began. */
function currentAcademicYear(): number {
	const [year, month] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit' })
		.format(new Date())
		.split('-')
		.map(Number) as [number, number];
	return month >= 9 ? year : year - 1;
}

test('a lead opens mentoring for the Peer Mentoring Programme and adds a cohort, fixing a mistake first', async ({ page }) => {
	const year = currentAcademicYear();
	await signIn(page, 'lead@demo.test');
	await page.goto('/programmes');
	await expectAccessible(page);
	await page.getByRole('link', { name: 'Peer Mentoring Programme' }).click();
	await expectAccessible(page);
	await page.getByRole('link', { name: 'Mentoring', exact: true }).click();
	await expect(page.getByRole('heading', { name: 'Mentoring', level: 1 })).toBeVisible();
	await expectAccessible(page);

	await page.getByLabel('Academic year').fill('next year');
	await page.getByRole('button', { name: 'Add cohort' }).click();
	await expect(page).toHaveTitle(/^Error: /);
	await expect(page.locator('.govuk-error-summary')).toBeFocused();
	await expect(page.locator('.govuk-error-summary')).toContainText('Enter the year the academic year starts as 4 digits');
	await expectAccessible(page);

	await page.getByLabel('Academic year').fill(String(year));
	await page.getByRole('button', { name: 'Add cohort' }).click();
	await expect(page.getByText('Cohort added.')).toBeVisible();
	await expect(page.getByRole('heading', { name: `Cohort ${year} to ${year + 1}` })).toBeVisible();
	await expect(page.getByLabel('Mentor', { exact: true })).toBeVisible();
	await expectAccessible(page);
});
