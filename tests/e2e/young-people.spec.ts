import { expect, test } from '@playwright/test';
import { expectAccessible, signIn, visit } from './helpers';

const csv = (rows: string[]) => ({ name: 'class-list.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\r\n')) });

test('a school contact adds a young person and imports a class list, a bad row saving nothing', async ({ page }) => {
	await signIn(page, 'school@demo.test');
	await visit(page, '/young-people');

	await page.getByRole('link', { name: 'Add a young person' }).click();
	await page.getByRole('button', { name: 'Add young person' }).click();
	await expect(page).toHaveTitle(/^Error: /);
	await expect(page.locator('.govuk-error-summary')).toBeFocused();
	await expectAccessible(page);
	await page.getByLabel('First name').fill('Zofia');
	await page.getByLabel('Last name').fill('Nowak-Test');
	await page.getByLabel('Year group').selectOption({ label: 'Year 8' });
	await page.getByRole('button', { name: 'Add young person' }).click();
	await expect(page).toHaveURL(/\/young-people/);
	await expect(page.getByText('Nowak-Test')).toBeVisible();

	await page.goto('/young-people/import');
	await expectAccessible(page);
	await page.locator('input[type=file]').setInputFiles(csv(['First Name,Surname,Year', "Siân,O'Test-Brien,8", 'Amir,Testman,nursery']));
	await page.getByRole('button', { name: 'Check the file' }).click();
	await expect(page.locator('.govuk-error-summary')).toBeFocused();
	const problems = page.getByRole('table', { name: 'Problems in the file' }).locator('tbody tr');
	await expect(problems).toHaveCount(1);
	await expect(problems).toContainText('3');
	await expectAccessible(page);
	await page.goto('/young-people?search=Test-Brien');
	await expect(page.getByText("O'Test-Brien")).toHaveCount(0);

	await page.goto('/young-people/import');
	await page.locator('input[type=file]').setInputFiles(csv(['\uFEFFFirst Name;Surname;Year', "Siân;O'Test-Brien;8", 'Amir;Testman;Y9']));
	await page.getByRole('button', { name: 'Check the file' }).click();
	await expect(page.getByRole('heading', { name: 'Check the import' })).toBeVisible();
	await expectAccessible(page);
	await page.getByRole('button', { name: 'Add 2 young people' }).click();
	await page.goto('/young-people?search=Test');
	await expect(page.getByText("O'Test-Brien")).toBeVisible();
});

test('a lead opens the registers of a headcount session and a named session', async ({ page }) => {
	await signIn(page, 'lead@demo.test');
	for (const programme of ['Youth Conference', 'John Muir Award']) {
		await page.goto('/programmes');
		await page.getByRole('link', { name: programme }).click();
		await page.getByRole('table', { name: 'Upcoming sessions' }).getByRole('link').first().click();
		await page.getByRole('link', { name: 'Register' }).click();
		await expect(page.getByRole('heading', { name: /^Register for/ })).toBeVisible();
		await expectAccessible(page);
	}
});
