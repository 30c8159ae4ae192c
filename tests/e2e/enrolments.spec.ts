import { expect, test, type Browser, type Page } from '@playwright/test';
import { expectAccessible, signIn, visit } from './helpers';

// Young people are added through the school contact's own pages first, with names of this
// run's own, so the spec never depends on what other specs left in the demo data.
const suffix = () =>
	Date.now()
		.toString(36)
		.replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!);

async function signedIn(browser: Browser, email: string): Promise<Page> {
	const page = await (await browser.newContext()).newPage();
	await signIn(page, email);
	return page;
}

/** Adds a Year 8 young person to Astor College's list as its contact (school@demo.test). */
async function addAsSchool(page: Page, first: string, last: string): Promise<void> {
	await page.goto('/young-people/new');
	await page.getByLabel('First name').fill(first);
	await page.getByLabel('Last name').fill(last);
	await page.getByLabel('Year group').selectOption({ label: 'Year 8' });
	await page.getByRole('button', { name: 'Add young person' }).click();
	await expect(page.getByText('Young person added.')).toBeVisible();
}

test('an admin enrols a young person of a school, changes their stage and opens their page; the school sees it read-only', async ({ browser }) => {
	const first = 'Enrola';
	const last = `Testperson-${suffix()}`;
	const school = await signedIn(browser, 'school@demo.test');
	await addAsSchool(school, first, last);

	const admin = await signedIn(browser, 'admin@demo.test');
	await visit(admin, '/young-people');
	await admin.getByLabel('School', { exact: true }).selectOption({ label: 'Astor College' });
	await admin.getByRole('button', { name: 'Show young people' }).click();
	await expect(admin.getByRole('link', { name: new RegExp(last) })).toBeVisible();
	await expectAccessible(admin);

	await admin.goto('/programmes');
	await admin.getByRole('link', { name: 'Dover Smart Arts Project' }).click();
	await admin.getByRole('link', { name: 'Enrolments', exact: true }).click();
	await expect(admin.getByRole('heading', { level: 1, name: 'Enrolments' })).toBeVisible();
	await expectAccessible(admin);

	await admin.getByLabel('School', { exact: true }).selectOption({ label: 'Astor College' });
	await admin.getByRole('button', { name: 'Choose school' }).click();
	await expect(admin.getByLabel('Young person from Astor College')).toBeVisible();
	await expectAccessible(admin);

	// Nothing chosen: the message is beside the field and nothing is saved.
	await admin.getByRole('button', { name: 'Enrol', exact: true }).click();
	await expect(admin).toHaveTitle(/^Error: /);
	await expect(admin.locator('.govuk-error-summary')).toBeFocused();
	await expect(admin.locator('.govuk-error-summary')).toContainText('Select a young person');
	await expectAccessible(admin);

	await admin.getByLabel('Young person from Astor College').selectOption({ label: `${last}, ${first} (Year 8)` });
	await admin.getByLabel('Participant').check();
	await admin.getByLabel('Enrolled', { exact: true }).check();
	await admin.getByRole('button', { name: 'Enrol', exact: true }).click();
	await expect(admin.getByText('Young person enrolled.')).toBeVisible();
	const row = admin.getByRole('table', { name: /^Astor College/ }).getByRole('row', { name: new RegExp(last) });
	await expect(row).toContainText('Enrolled');
	await expectAccessible(admin);

	await row.getByRole('link', { name: `Change stage of ${first} ${last}` }).click();
	await expect(admin.getByRole('heading', { level: 1, name: 'Change stage' })).toBeVisible();
	await expectAccessible(admin);
	await admin.getByRole('radio', { name: 'Completed' }).check();
	await admin.getByLabel('End date (for completed or withdrawn)').fill('2001-01-01');
	await admin.getByRole('button', { name: 'Save stage' }).click();
	await expect(admin.locator('.govuk-error-summary')).toContainText('The end date must be on or after the start date');
	await expectAccessible(admin);
	await admin.getByLabel('End date (for completed or withdrawn)').fill('');
	await admin.getByRole('button', { name: 'Save stage' }).click();
	await expect(admin.getByText('Stage changed.')).toBeVisible();
	await expect(admin.getByRole('row', { name: new RegExp(last) })).toContainText('Completed');

	await admin.getByRole('link', { name: `${first} ${last}`, exact: true }).click();
	await expect(admin.getByRole('heading', { level: 1, name: `${first} ${last}` })).toBeVisible();
	await expect(admin.getByRole('table', { name: 'Enrolments' })).toContainText('Dover Smart Arts Project');
	await expectAccessible(admin);

	await school.goto('/young-people');
	await school.getByRole('link', { name: new RegExp(last) }).click();
	const enrolments = school.getByRole('table', { name: 'Enrolments' });
	await expect(enrolments).toContainText('Completed');
	await expect(enrolments.getByRole('link')).toHaveCount(0);
	await expectAccessible(school);
});

test('a lead picks one of the schools booked on their programmes and adds a young person to its list', async ({ page }) => {
	await signIn(page, 'lead@demo.test');
	await visit(page, '/young-people');
	const schools = page.getByLabel('School', { exact: true });
	// Which schools the lead reaches depends on the demo bookings: take the first offered.
	const schoolName = (await schools.locator('option').nth(1).textContent())!.trim();
	await schools.selectOption({ label: schoolName });
	await page.getByRole('button', { name: 'Show young people' }).click();
	await expectAccessible(page);
	await page.getByRole('link', { name: `Add a young person to ${schoolName}` }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Add a young person' })).toBeVisible();
	await expectAccessible(page);
	const last = `Leadadded-${suffix()}`;
	await page.getByLabel('First name').fill('Lena');
	await page.getByLabel('Last name').fill(last);
	await page.getByLabel('Year group').selectOption({ label: 'Year 8' });
	await page.getByRole('button', { name: 'Add young person' }).click();
	await expect(page.getByText('Young person added.')).toBeVisible();
	await expect(page.locator('.govuk-caption-l')).toHaveText(schoolName);
	await expect(page.getByRole('link', { name: new RegExp(last) })).toBeVisible();
});

test('a school contact changes a young person, fixing a mistake first, then archives and restores them', async ({ page }) => {
	const last = `Archivist-${suffix()}`;
	await signIn(page, 'school@demo.test');
	await addAsSchool(page, 'Ariadne', last);
	await page.getByRole('link', { name: new RegExp(last) }).click();
	await expect(page.getByRole('heading', { level: 1, name: `Ariadne ${last}` })).toBeVisible();
	await expectAccessible(page);

	await page.getByRole('link', { name: `Change details of Ariadne ${last}` }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Change details' })).toBeVisible();
	await expectAccessible(page);
	await page.getByLabel('Last name').fill('');
	await page.getByRole('button', { name: 'Save changes' }).click();
	await expect(page.locator('.govuk-error-summary')).toBeFocused();
	await expect(page.locator('.govuk-error-summary')).toContainText('Enter the last name');
	await expectAccessible(page);
	await page.getByLabel('Last name').fill(`${last}-Jones`);
	await page.getByLabel('Year group').selectOption({ label: 'Year 9' });
	await page.getByRole('button', { name: 'Save changes' }).click();
	await expect(page.getByText('Details saved.')).toBeVisible();
	await expect(page.getByRole('heading', { level: 1, name: `Ariadne ${last}-Jones` })).toBeVisible();
	await expect(page.locator('.govuk-summary-list')).toContainText('Year 9');

	await page.getByRole('link', { name: `Archive Ariadne ${last}-Jones` }).click();
	await expect(page.getByTestId('consequences')).toContainText(`Ariadne ${last}-Jones will be taken off`);
	await expectAccessible(page);
	await page.getByRole('button', { name: 'Yes, archive' }).click();
	await expect(page.getByText('Young person archived.')).toBeVisible();
	await expect(page.getByText('Archived', { exact: true })).toBeVisible();
	await expectAccessible(page);
	await page.goto(`/young-people?search=${encodeURIComponent(last)}`);
	await expect(page.getByText('No young people match.')).toBeVisible();

	await page.goBack();
	await page.getByRole('button', { name: 'Restore to the school' }).click();
	await expect(page.getByText("Young person restored to the school's list.")).toBeVisible();
	await page.goto(`/young-people?search=${encodeURIComponent(last)}`);
	await expect(page.getByRole('link', { name: new RegExp(last) })).toBeVisible();
});
