import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, signIn } from './helpers';

// Two people counting the same headcount register at once (issue 12, rule 2): the second's save
// of a count the first changed meanwhile comes back as a conflict, keep theirs or use yours,
// instead of overwriting it. The register and the conflict's choice are plain forms (the page is
// rendered on the server only, and its script steps in only for a register kept on the device).
// Past session used: Gang Awareness Workshops' second; the test puts its count back.

async function openRegister(page: Page): Promise<string> {
	await page.goto('/programmes');
	await page.getByRole('link', { name: 'Gang Awareness Workshops' }).click();
	await page.getByRole('table', { name: 'Past sessions' }).getByRole('link').nth(1).click();
	await page.getByRole('link', { name: 'Register', exact: true }).click();
	await expect(page.getByRole('heading', { level: 1, name: /^Register for/ })).toBeVisible();
	return new URL(page.url()).pathname;
}

const firstBox = (page: Page) => page.locator('#counts input[name^="count."]').first();

async function save(page: Page) {
	await page.getByRole('button', { name: 'Save headcounts' }).click();
}

test('the second of two people saving the same count sees the conflict, chooses, and a bad count is refused beside its box', async ({ page, browser }) => {
	await signIn(page, 'lead@demo.test');
	const registerUrl = await openRegister(page);
	const other = await (await browser.newContext()).newPage();
	await signIn(other, 'admin@demo.test');
	await other.goto(registerUrl);

	const demo = await firstBox(page).inputValue();
	const label = (await page.locator(`label[for="${await firstBox(page).getAttribute('id')}"]`).textContent())!.trim();
	expect(demo, 'the demo counted this past workshop').not.toBe('');
	const base = Number(demo);
	const [theirs, mine] = [base + 1, base + 2];

	// The lead saves first.
	await firstBox(page).fill(String(theirs));
	await save(page);
	await expect(page.getByText('1 count saved; 1 was new or changed.')).toBeVisible();

	// The admin, on the page as loaded before, saves another count for the same school and year group.
	await firstBox(other).fill(String(mine));
	await save(other);
	const conflicts = other.getByRole('region', { name: 'Important' });
	await expect(conflicts).toContainText('1 count was changed by someone else while you were counting, so yours was not saved.');
	await expect(conflicts).toContainText(
		new RegExp(`Lee Lead changed ${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} to ${theirs} at \\d\\d:\\d\\d; you entered ${mine}\\.`)
	);
	await expect(conflicts.getByRole('radio', { name: `Keep theirs: ${theirs}` })).toBeChecked();
	// The lead's count stands until the admin chooses.
	await expect(firstBox(other)).toHaveValue(String(theirs));
	await expectAccessible(other);

	await conflicts.getByRole('radio', { name: `Use yours: ${mine}` }).focus();
	await other.keyboard.press('Space');
	await conflicts.getByRole('button', { name: 'Save these choices' }).click();
	await expect(other.getByText('1 count saved; 1 was new or changed.')).toBeVisible();
	await expect(firstBox(other)).toHaveValue(String(mine));

	// The lead, still on the page showing their own count, is now the one based on an older version.
	await page.reload();
	await expect(firstBox(page)).toHaveValue(String(mine));

	// A count that is no whole number is refused beside its box, kept as typed, and nothing saved.
	await firstBox(page).fill('3.5');
	await save(page);
	await expect(page).toHaveTitle(/^Error: /);
	await expect(page.locator('#counts .govuk-error-message').first()).toContainText(`Enter how many of ${label} came as a whole number, like 12`);
	await expect(firstBox(page)).toHaveValue('3.5');
	await expectAccessible(page);

	// Put the demo's count back.
	await firstBox(page).fill(demo);
	await save(page);
	await expect(page.getByText('1 count saved; 1 was new or changed.')).toBeVisible();
	await expect(firstBox(page)).toHaveValue(demo);
	await other.context().close();
});
