import { expect, test, type Locator, type Page } from '@playwright/test';
import { expectAccessible, signIn } from './helpers';

// Attendance is recorded only once a session has started, so these use the demo's past
// sessions (src/lib/server/demo/reference-years.ts): every past Safety in Action slot has
// eight workstations and at least one school's Year 6 booking, and every past workshop a
// headcount of parents and carers.

/** Follows a link or presses a button from the keyboard. */
async function activate(page: Page, target: Locator): Promise<void> {
	await target.focus();
	await page.keyboard.press('Enter');
}

/** Replaces what a box holds, typing as a keyboard user would. */
async function typeInto(page: Page, box: Locator, text: string): Promise<void> {
	await box.focus();
	await page.keyboard.press('ControlOrMeta+A');
	await page.keyboard.press('Backspace');
	if (text) await page.keyboard.type(text);
}

async function openPastSession(page: Page, programme: string): Promise<void> {
	await page.goto('/programmes');
	await activate(page, page.getByRole('link', { name: programme }));
	await expect(page.getByRole('heading', { name: programme, level: 1 })).toBeVisible();
	await activate(page, page.getByRole('table', { name: 'Past sessions' }).getByRole('link').first());
	await activate(page, page.getByRole('link', { name: 'Register', exact: true }));
	await expect(page.getByRole('heading', { name: /^Register for/, level: 1 })).toBeVisible();
}

test('a lead records a workstation register of a past carousel session, refused first for counting more than the places', async ({ page }) => {
	await signIn(page, 'lead@demo.test');
	await openPastSession(page, 'Safety in Action Week');
	await expect(page.getByRole('heading', { name: 'Registers by workstation' })).toBeVisible();
	const summary = page.getByRole('table', { name: 'Counted at each workstation' });
	await expect(summary.locator('tbody tr')).toHaveCount(8);
	// The demo recorded each station's count in 2018-19; this test records Water safety's again.
	await expect(summary.getByRole('row', { name: /Water safety/ })).toBeVisible();
	await expectAccessible(page);

	await activate(page, page.getByRole('link', { name: 'Water safety register' }));
	await expect(page.getByRole('heading', { name: 'Register for the Water safety workstation' })).toBeVisible();
	await expect(page.getByRole('table', { name: 'Groups due at this workstation' })).toBeVisible();
	await expectAccessible(page);

	const row = page.locator('#counts tbody tr').first();
	const box = row.getByRole('textbox');
	const places = Number(await row.locator('td').first().textContent());
	expect(places, 'the first school at this slot holds some places').toBeGreaterThan(0);

	const recordedBefore = await box.inputValue();
	await typeInto(page, box, String(places + 1));
	await activate(page, page.getByRole('button', { name: 'Save the Water safety register' }));
	await expect(page).toHaveTitle(/^Error: /);
	await expect(page.locator('.govuk-error-summary')).toBeFocused();
	await expect(row.locator('.govuk-error-message')).toContainText(`enter ${places} or fewer`);
	await expect(box).toHaveValue(String(places + 1));
	await expectAccessible(page);

	// A count within the places that differs from what the demo recorded.
	const counted = recordedBefore === String(places) ? places - 1 : places;
	await typeInto(page, box, String(counted));
	await activate(page, page.getByRole('button', { name: 'Save the Water safety register' }));
	// Every school's box at the station is saved; only the one typed into changed.
	await expect(page.getByText(/^\d+ counts? saved; 1 was new or changed\.$/)).toBeVisible();
	await expect(box).toHaveValue(String(counted));
	await expectAccessible(page);

	await activate(page, page.getByRole('link', { name: 'Back to the session’s register' }));
	await expect(summary.getByRole('row', { name: /Water safety/ })).toBeVisible();
	await expect(summary.getByRole('row', { name: /Fire safety/ })).toBeVisible();
});

test('a lead records the parents’ confidence before and after a past workshop, fixing a mistake first', async ({ page }) => {
	await signIn(page, 'lead@demo.test');
	await openPastSession(page, 'Gang Awareness Workshops');
	await expectAccessible(page);
	await activate(page, page.getByRole('link', { name: /confidence question/ }));
	await expect(page.getByRole('heading', { name: 'Parents’ confidence, before and after' })).toBeVisible();
	await expect(page.getByText('How confident are you that you could spot the signs that a young person is involved with a gang?')).toBeVisible();
	await expectAccessible(page);

	const before = page.getByRole('group', { name: 'Before the workshop' });
	const after = page.getByRole('group', { name: 'After the workshop' });
	// The demo recorded this workshop's answers: start from empty boxes.
	for (const box of [...(await before.getByRole('textbox').all()), ...(await after.getByRole('textbox').all())]) await typeInto(page, box, '');
	await typeInto(page, before.getByLabel('1, not at all confident'), '2');
	await typeInto(page, before.getByLabel('2', { exact: true }), 'three');
	await typeInto(page, after.getByLabel('3', { exact: true }), '1');
	await activate(page, page.getByRole('button', { name: 'Save the answers' }));

	await expect(page).toHaveTitle(/^Error: /);
	await expect(page.locator('.govuk-error-summary')).toBeFocused();
	await expect(page.locator('.govuk-error-summary')).toContainText('Enter how many answered 2 before the workshop as a whole number, like 4');
	await expect(before.locator('.govuk-error-message')).toContainText('Enter how many answered 2 before the workshop');
	// What was typed is kept, the mistake included.
	await expect(before.getByLabel('2', { exact: true })).toHaveValue('three');
	await expect(after.getByLabel('3', { exact: true })).toHaveValue('1');
	await expectAccessible(page);

	const counted = /^(\d+) parents and carers counted/.exec((await page.getByText(/parents and carers counted at this workshop/).textContent()) ?? '');
	const parents = Number(counted?.[1]);
	expect(parents, 'the demo counts at least 5 parents and carers at each past workshop').toBeGreaterThanOrEqual(5);
	await typeInto(page, before.getByLabel('2', { exact: true }), String(parents));
	await activate(page, page.getByRole('button', { name: 'Save the answers' }));
	await expect(page.locator('.govuk-error-summary')).toBeFocused();
	await expect(before.locator('.govuk-error-message')).toContainText(`add up to ${parents + 2}: more than the ${parents} parents and carers counted`);
	await expect(before.getByLabel('2', { exact: true })).toHaveValue(String(parents));
	await expectAccessible(page);

	await typeInto(page, before.getByLabel('2', { exact: true }), '3');
	await typeInto(page, after.getByLabel('4', { exact: true }), '2');
	await typeInto(page, after.getByLabel('5, very confident'), '2');
	await activate(page, page.getByRole('button', { name: 'Save the answers' }));

	await expect(page.getByText('Answers saved.')).toBeVisible();
	const results = page.getByRole('table', { name: 'How the parents and carers answered' });
	await expect(results.getByRole('row', { name: /^Answered/ })).toHaveText(/Answered\s*5\s*5/);
	await expect(results.getByRole('row', { name: /^Mean answer/ })).toHaveText(/Mean answer\s*1\.6\s*4\.2/);
	await expect(before.getByLabel('3', { exact: true })).toHaveValue('0');
	await expectAccessible(page);

	// Two people on the form at once. The admin changes the answers after; the lead, on the page
	// opened before that, changes those before: each writes only the moment they changed.
	const admin = await (await page.context().browser()!.newContext()).newPage();
	await signIn(admin, 'admin@demo.test');
	await admin.goto(page.url());
	const adminBefore = admin.getByRole('group', { name: 'Before the workshop' });
	await admin.getByRole('group', { name: 'After the workshop' }).getByLabel('3', { exact: true }).fill('0');
	await admin.getByRole('button', { name: 'Save the answers' }).click();
	await expect(admin.getByText('Answers saved.')).toBeVisible();

	await typeInto(page, before.getByLabel('1, not at all confident'), '1');
	await activate(page, page.getByRole('button', { name: 'Save the answers' }));
	await expect(page.getByText('Answers saved.')).toBeVisible();
	await expect(results.getByRole('row', { name: /^Answered/ })).toHaveText(/Answered\s*4\s*4/);

	// The admin's page still shows the answers before as they were: their change to them is refused, theirs kept.
	await adminBefore.getByLabel('5, very confident').fill('1');
	await admin.getByRole('button', { name: 'Save the answers' }).click();
	await expect(admin).toHaveTitle(/^Error: /);
	await expect(admin.locator('.govuk-error-summary')).toBeFocused();
	await expect(admin.locator('.govuk-error-summary')).toContainText('The answers were changed by someone else, after you opened this page');
	// The banner of the admin's own earlier save, still in the address, is not shown over the refusal.
	await expect(admin.getByText('Answers saved.')).toHaveCount(0);
	await expect(adminBefore.locator('.govuk-error-message')).toContainText('Before the workshop: saved now as ‘1, 3, 0, 0, 0’ (how many answered 1 to 5)');
	await expect(adminBefore.getByLabel('5, very confident')).toHaveValue('1');
	await expect(adminBefore.getByLabel('1, not at all confident')).toHaveValue('2');
	await expectAccessible(admin);
	await admin.context().close();
});
