import { expect, test } from '@playwright/test';
import { expectAccessible, signIn, visit } from './helpers';

const csv = (rows: string[]) => ({ name: 'schools.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\r\n')) });

test.beforeEach(async ({ page }) => {
	await signIn(page, 'admin@demo.test');
});

test('an import with one bad row saves nothing and names the row and column', async ({ page }) => {
	await visit(page, '/schools/import');
	await page
		.getByLabel('Upload a CSV file')
		.setInputFiles(csv(['name,urn,phase,town', 'Kingsdown Test Primary,123450,primary,Deal', 'Eastry Test Primary,,nursery,Rural']));
	await page.getByRole('button', { name: 'Check the file' }).click();
	await expect(page).toHaveTitle(/^Error: /);
	await expect(page.locator('.govuk-error-summary')).toBeFocused();
	await expect(page.locator('.govuk-error-summary')).toContainText('nothing has been imported');
	const problem = page.getByRole('table', { name: 'Problems in the file' }).locator('tbody tr');
	await expect(problem).toHaveCount(1);
	await expect(problem).toContainText(['3']);
	await expect(problem).toContainText('phase');
	await expectAccessible(page);

	await page.goto('/schools?search=Kingsdown+Test');
	await expect(page.getByText('No schools match.')).toBeVisible();
});

test('a good import is previewed, then saved', async ({ page }) => {
	await page.goto('/schools/import');
	await page
		.getByLabel('Upload a CSV file')
		.setInputFiles(
			csv([
				'\uFEFFname;urn;phase;town',
				'"Ripple Test School";;primary;Rural',
				"St Margaret's-at-Cliffe Test Primary;;primary;Rural",
				'Astor College;;secondary;Dover'
			])
		);
	await page.getByRole('button', { name: 'Check the file' }).click();
	await expect(page.getByRole('heading', { name: 'Check the import' })).toBeVisible();
	await expect(page.getByText('2 to add, 0 to update and 1 unchanged')).toBeVisible();
	await expectAccessible(page);
	await page.getByRole('button', { name: 'Import 2 changes' }).click();
	await expect(page.getByText('Import complete: 2 added, 0 updated, 1 unchanged.')).toBeVisible();
	await page.goto('/schools?search=Test+Primary');
	await expect(page.getByRole('link', { name: "St Margaret's-at-Cliffe Test Primary" })).toBeVisible();
});

test('adding a school keeps the values and explains each problem', async ({ page }) => {
	await visit(page, '/schools/new');
	await page.getByLabel('School name').fill('Astor College');
	await page.getByLabel('URN (optional)').fill('12345');
	await page.getByRole('button', { name: 'Add school' }).click();
	await expect(page).toHaveTitle(/^Error: Add a school/);
	const summary = page.locator('.govuk-error-summary');
	await expect(summary).toBeFocused();
	await expect(summary).toContainText('URN must be 6 digits');
	await expect(summary).toContainText('Select the school’s phase');
	await expect(summary).toContainText('Select the town the school is in');
	await expect(page.getByLabel('School name')).toHaveValue('Astor College');
	await expect(page.getByLabel('URN (optional)')).toHaveValue('12345');
	await expectAccessible(page);

	await summary.getByRole('link', { name: /URN must be 6 digits/ }).click();
	await expect(page.getByLabel('URN (optional)')).toBeFocused();

	await page.getByLabel('URN (optional)').fill('');
	await page.getByLabel('Phase').selectOption('secondary');
	await page.getByLabel('Town').selectOption('Dover');
	await page.getByRole('button', { name: 'Add school' }).click();
	await expect(summary).toContainText('A school with this name already exists');

	await page.getByLabel('School name').fill('Whitfield Test Academy');
	await page.getByRole('button', { name: 'Add school' }).click();
	await expect(page.getByText('School added.')).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Whitfield Test Academy' })).toBeVisible();
	await expectAccessible(page);
});

test('the second of two people changing one school is told, keeps their values, sees what is saved now and saves knowingly', async ({ page, browser }) => {
	await page.goto('/schools/new');
	await page.getByLabel('School name').fill('Kingsdown Two Editors Primary');
	await page.getByLabel('Phase').selectOption('primary');
	await page.getByLabel('Town').selectOption('Rural');
	await page.getByRole('button', { name: 'Add school' }).click();
	await expect(page.getByText('School added.')).toBeVisible();
	const edit = `${new URL(page.url()).pathname}/edit`;

	const other = await (await browser.newContext()).newPage();
	await signIn(other, 'admin@demo.test');
	await page.goto(edit);
	await other.goto(edit);

	// The first saves a new phase; the second, on the page opened before that, a new town.
	await page.getByLabel('Phase').selectOption('all-through');
	await page.getByRole('button', { name: 'Save changes' }).click();
	await expect(page.getByText('School details saved.')).toBeVisible();

	await other.getByLabel('Town').selectOption('Deal');
	await other.getByRole('button', { name: 'Save changes' }).click();
	await expect(other).toHaveTitle(/^Error: /);
	const summary = other.locator('.govuk-error-summary');
	await expect(summary).toBeFocused();
	await expect(summary).toContainText('This school was changed by someone else at');
	await expect(summary).toContainText('your changes have not been saved');
	await expect(other.getByLabel('Town')).toHaveValue('Deal');
	await expect(other.getByLabel('Phase')).toHaveValue('primary');
	await expect(other.locator('#phase-error')).toContainText('Phase: saved now as ‘All-through’');
	await expect(other.locator('#town-error')).toContainText('Town: saved now as ‘Rural’');
	await expectAccessible(other);
	await summary.getByRole('link', { name: /changed by someone else/ }).click();
	await expect(other.locator('#basedOn')).toBeFocused();

	// Having seen it, they take the new phase as well and save again: both changes are kept.
	await other.getByLabel('Phase').selectOption('all-through');
	await other.getByRole('button', { name: 'Save changes' }).click();
	await expect(other.getByText('School details saved.')).toBeVisible();
	const details = other.locator('.govuk-summary-list');
	await expect(details).toContainText('All-through');
	await expect(details).toContainText('Deal');
	await other.context().close();
});
