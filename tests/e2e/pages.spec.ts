import { expect, test } from '@playwright/test';
import { expectAccessible, signIn, visit } from './helpers';

// Every page of every role, checked with axe. (Form error states are checked in the other specs.)
const pagesByUser: Record<string, string[]> = {
	'admin@demo.test': [
		'/dashboard',
		'/programmes',
		'/programmes/new',
		'/sessions',
		'/schools',
		'/schools/new',
		'/schools/import',
		'/users',
		'/users/invite',
		'/audit',
		'/outbox',
		'/account/password',
		'/sign-out'
	],
	'lead@demo.test': ['/dashboard', '/programmes', '/sessions', '/sessions?view=month', '/schools', '/account/password'],
	'school@demo.test': ['/dashboard', '/sessions', '/bookings', '/bookings/calendar-feed'],
	'viewer@demo.test': ['/dashboard']
};

for (const [email, paths] of Object.entries(pagesByUser)) {
	test(`every page ${email} can open passes axe`, async ({ page }) => {
		await signIn(page, email);
		for (const path of paths) {
			const response = await page.goto(path);
			expect(response?.status(), path).toBe(200);
			await expectAccessible(page);
		}
	});
}

test('record pages pass axe: a school, its edit form and a user', async ({ page }) => {
	await signIn(page, 'admin@demo.test');
	await page.goto('/schools');
	await expect(page).toHaveTitle('Schools – Youth Programmes Tracker');
	// The titles are written as markup (PageTitle): in the browser, each page still has one title, read as the words.
	await page.getByRole('link', { name: 'Astor College' }).click();
	await expect(page).toHaveTitle('Astor College – Youth Programmes Tracker');
	await expect(page.locator('title')).toHaveCount(1);
	await expectAccessible(page);
	// Words for screen readers only keep their spaces in the page's text (Svelte drops them at an element's edges).
	expect(await page.locator('.app-header__account > span').first().textContent()).toBe('Alex Admin signed in as (Partnership admin)');
	expect(await page.getByRole('link', { name: /Change details/ }).textContent()).toBe('Change details of Astor College');
	await page.getByRole('link', { name: /Change details/ }).click();
	await expect(page).toHaveTitle('Change Astor College – Youth Programmes Tracker');
	await expect(page.locator('title')).toHaveCount(1);
	await expectAccessible(page);
	await page.goto('/users');
	await page.getByRole('link', { name: 'Vic Viewer' }).click();
	await expect(page.getByRole('heading', { name: 'Vic Viewer' })).toBeVisible();
	await expectAccessible(page);
	await page.goto('/programmes');
	await page.getByRole('link', { name: 'Youth Conference' }).click();
	await page.getByRole('link', { name: 'Change programme' }).click();
	await expect(page.getByRole('heading', { name: 'Change programme' })).toBeVisible();
	await expectAccessible(page);
	await page.goBack();
	await page.getByRole('table', { name: 'Upcoming sessions' }).getByRole('link').first().click();
	await expectAccessible(page);
	await page.getByRole('link', { name: 'Change, cancel or complete' }).click();
	await expect(page.getByRole('heading', { name: 'Change the session' })).toBeVisible();
	await expectAccessible(page);
	await page.goto('/audit?from=2026-13-01');
	await expect(page.locator('.govuk-error-summary')).toContainText('must be a real date');
	await expectAccessible(page);
});

test('public pages pass axe, and unknown addresses get the friendly 404', async ({ page }) => {
	for (const path of ['/sign-in', '/forgot-password', '/accessibility', '/privacy', '/reset-password/not-a-real-token', '/invitation/not-a-real-token']) {
		await visit(page, path);
	}
	const response = await page.goto('/no-such-page');
	expect(response?.status()).toBe(404);
	await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
	await expectAccessible(page);
});
