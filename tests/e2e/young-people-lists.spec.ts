import { expect, test } from '@playwright/test';
import { expectAccessible, signIn, visit } from './helpers';

// The young people list a hundred at a time, with the filters that bring back the archived and
// those who have left school, by keyboard and passing axe.

const csv = (rows: string[]) => ({ name: 'big-class.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\r\n')) });

test('a school contact pages through a long list and brings back an archived young person by keyboard', async ({ page }) => {
	await signIn(page, 'school@demo.test');
	const rows = Array.from({ length: 150 }, (_, i) => `Pat,Pagetest${String(i).padStart(3, '0')},Y7`);
	await page.goto('/young-people/import');
	await page.locator('input[type=file]').setInputFiles(csv(['first_name,last_name,year_group', ...rows]));
	await page.getByRole('button', { name: 'Check the file' }).click();
	await page.getByRole('button', { name: /^Add 150 young people/ }).click();

	await visit(page, '/young-people?search=pagetest');
	await expect(page.getByRole('table')).toContainText('Showing 1 to 100 of 150 young people');
	await expectAccessible(page);
	const pages = page.getByRole('navigation', { name: 'Pages of young people' });
	await pages.getByRole('link', { name: 'Page 2' }).focus();
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/search=pagetest.*page=2/);
	await expect(page.getByRole('table')).toContainText('Showing 101 to 150 of 150 young people');
	await expect(pages.getByRole('link', { name: 'Page 2' })).toHaveAttribute('aria-current', 'page');
	await expectAccessible(page);

	await page.goto('/young-people?search=pagetest&page=99999999999999999999');
	await expect(page.getByRole('table')).toContainText('Showing 101 to 150 of 150 young people');
	for (const bad of ['0', 'abc']) {
		const response = await page.goto(`/young-people?search=pagetest&page=${bad}`);
		expect(response?.status()).toBe(200);
		await expect(page.getByRole('table')).toContainText('Showing 1 to 100 of 150 young people');
	}

	await page.getByRole('link', { name: /^Pagetest000/ }).click();
	await page.getByRole('link', { name: /^Archive/ }).click();
	await page.getByRole('button', { name: 'Yes, archive' }).click();
	await expect(page.getByTestId('status')).toContainText('Archived');
	await expectAccessible(page);

	await page.goto('/young-people?search=pagetest000');
	await expect(page.getByRole('table')).toContainText('No young people match.');
	await page.getByLabel('Include archived').focus();
	await page.keyboard.press('Space');
	await expect(page.getByLabel('Include archived')).toBeChecked();
	await page.getByRole('button', { name: 'Search' }).focus();
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/include=archived/);
	await expect(page.getByLabel('Include archived')).toBeChecked();
	const row = page.getByRole('row', { name: /Pagetest000/ });
	await expect(row.locator('.govuk-tag')).toHaveText('Archived');
	await expectAccessible(page);

	await page.goto('/young-people/new');
	await page.getByLabel('First name').fill('PAT');
	await page.getByLabel('Last name').fill('pagetest-000');
	await page.getByLabel('Year group').selectOption({ label: 'Year 9' });
	await page.getByRole('button', { name: 'Add young person' }).click();
	await expect(page.getByTestId('archived-match')).toBeVisible();
	await expectAccessible(page);
	await page.getByRole('button', { name: 'Restore Pat Pagetest000' }).click();
	await expect(page.getByRole('heading', { name: 'Pat Pagetest000' })).toBeVisible();
	await expect(page.getByTestId('status')).toHaveCount(0);
});
