import { expect, test } from '@playwright/test';
import { demoSecondFactorKey, enterSecondFactorCode, expectAccessible, signIn } from './helpers';

test("a school contact asking for another school's record gets a 404, and the refusal is audited", async ({ page, browser }) => {
	const admin = await (await browser.newContext()).newPage();
	await signIn(admin, 'admin@demo.test');
	await admin.goto('/schools?search=Dover+Grammar+School+for+Girls');
	const href = await admin.getByRole('link', { name: 'Dover Grammar School for Girls' }).getAttribute('href');
	expect(href).toMatch(/^\/schools\/[0-9a-f-]{36}$/);

	await signIn(page, 'school@demo.test');
	const response = await page.goto(href!);
	expect(response?.status()).toBe(404);
	await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
	await expect(page.getByText('Dover Grammar School for Girls')).toHaveCount(0);
	await expectAccessible(page);

	// The data endpoint behind the page refuses the same way.
	const data = await page.request.get(`${href}/__data.json`);
	expect(data.status()).toBe(404);
	expect(await data.text()).not.toContain('Dover Grammar School for Girls');

	// Pages for other roles are not found either.
	for (const path of ['/users', '/audit', '/outbox', '/schools', '/schools/import']) {
		expect((await page.goto(path))?.status(), path).toBe(404);
	}

	const schoolId = href!.split('/').pop()!;
	await admin.goto('/audit?action=access.refused');
	// The refused record is named and linked for the admin.
	const refused = admin.locator('tbody tr').filter({ has: admin.locator(`a[href="/schools/${schoolId}"]`) });
	await expect(refused.first()).toContainText('school@demo.test');
	await expect(refused.first()).toContainText('Dover Grammar School for Girls');
});

test('signed-out visitors are sent to sign in, and come back afterwards', async ({ page }) => {
	await page.goto('/users');
	await expect(page).toHaveURL(/\/sign-in\?redirectTo=%2Fusers/);
	await page.getByLabel('Email address').fill('admin@demo.test');
	await page.getByLabel('Password').fill('demo-password-2019');
	await page.getByRole('button', { name: 'Sign in' }).click();
	// The second factor's code is asked for on the way, and the target kept.
	await expect(page).toHaveURL(/\/sign-in\/code\?redirectTo=%2Fusers/);
	await enterSecondFactorCode(page, demoSecondFactorKey('admin@demo.test'));
	await expect(page).toHaveURL(/\/users$/);
	await expect(page.getByRole('heading', { name: 'Users', exact: true })).toBeVisible();
});
