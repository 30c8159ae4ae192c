import { expect, test } from '@playwright/test';
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
