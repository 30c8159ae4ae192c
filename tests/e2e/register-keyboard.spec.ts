import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { expectAccessible, signIn } from './helpers';

// The named register on the day. First a lead takes it with the keyboard alone: once on the
// register page, nothing in that test clicks or fills; every change is a key press, as a lead
// on a laptop without a mouse or with a switch device would make it. Then two people mark one
// register at once, "mark all unmarked as present" is undone, and the page works without scripts.

/** GOV.UK Frontend's focus colour: its focus styles draw it as an outline, a shadow or a background. */
const FOCUS_YELLOW = 'rgb(255, 221, 0)';

async function isFocused(locator: Locator): Promise<boolean> {
	return locator.evaluate((el) => el === document.activeElement);
}

/** Presses Tab (or Shift+Tab) until the element has focus; fails if it is not reachable in `max` presses. Returns the presses made. */
async function tabTo(page: Page, locator: Locator, { back = false, max = 80 } = {}): Promise<number> {
	for (let presses = 0; presses <= max; presses++) {
		if (await isFocused(locator)) return presses;
		await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
	}
	throw new Error(`Not reachable by ${back ? 'Shift+Tab' : 'Tab'} in ${max} presses: ${locator}`);
}

/** The focused element's focus styles (and its label's, for a radio drawn by its label), as one string. */
async function focusStyles(page: Page): Promise<string> {
	return page.evaluate(() => {
		const el = document.activeElement as HTMLElement;
		const styles = [getComputedStyle(el)];
		if (el instanceof HTMLInputElement && el.labels?.[0]) styles.push(getComputedStyle(el.labels[0], '::before'));
		return styles
			.map((s) => `outline: ${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}; shadow: ${s.boxShadow}; background: ${s.backgroundColor}`)
			.join(' | ');
	});
}

async function expectFocusVisible(page: Page): Promise<void> {
	expect(await focusStyles(page)).toContain(FOCUS_YELLOW);
}

/** Opens a Dover Smart Arts Project session's register from the programme page, as a lead finds it. */
async function openArtsRegister(page: Page, table: 'Past sessions' | 'Upcoming sessions', nth = 0): Promise<void> {
	await page.goto('/programmes');
	await page.getByRole('link', { name: 'Dover Smart Arts Project' }).click();
	await page.getByRole('table', { name: table }).getByRole('link').nth(nth).click();
	await page.getByRole('link', { name: 'Register', exact: true }).click();
	await expect(page.getByRole('heading', { level: 1, name: /^Register for/ })).toBeVisible();
}

/** A young person's choice on the register: one native select a row, named by the row's header. */
const mark = (page: Page, name: string) => page.getByRole('combobox', { name, exact: true });
const namesOn = async (page: Page) => (await page.locator('form#register tbody th').allTextContents()).map((n) => n.trim());
const allPresentButton = (page: Page) => page.getByRole('button', { name: /^Mark all [\d,]+ unmarked as present$/ });

test('a lead changes marks on a past session’s register with the keyboard alone, searching by name, and the changes are saved', async ({ page }) => {
	await signIn(page, 'lead@demo.test');
	await openArtsRegister(page, 'Past sessions');
	await expectAccessible(page);
	const registerUrl = new URL(page.url()).pathname;
	const names = await namesOn(page);
	// 14 students were enrolled in 2018-19 (other tests may have enrolled more since).
	expect(names.length).toBeGreaterThanOrEqual(14);

	// The skip link first, then into the page and on to the search box.
	await page.keyboard.press('Tab');
	await expect(page.getByRole('link', { name: 'Skip to main content' })).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(page.locator('main')).toBeFocused();
	const search = page.getByLabel('Search by name');
	await tabTo(page, search);
	await expectFocusVisible(page);

	// Typing a name narrows the register to those who match, as you type.
	const [last, first] = names[2]!.split(', ');
	await page.keyboard.type(first!.slice(0, 4).toLowerCase());
	await expect(page.locator('#register-showing')).toHaveText(/^Showing \d+ of [\d,]+ young people\.$/);
	await expect(mark(page, names[2]!)).toBeVisible();
	const visible = await page.locator('form#register tbody tr:visible th').allTextContents();
	expect(visible.every((n) => n.toLowerCase().includes(first!.slice(0, 4).toLowerCase()))).toBe(true);

	// Into that young person's choice: the arrow keys choose on a closed select.
	await tabTo(page, mark(page, names[2]!), { max: 12 });
	await expectFocusVisible(page);
	// The last choice is "absent (reason unknown)"; three up from it is "left early".
	await page.keyboard.press('End');
	await expect(mark(page, names[2]!)).toHaveValue('k');
	for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowUp');
	await expect(mark(page, names[2]!)).toHaveValue('e');
	expect(last).toBeTruthy();

	// Clearing the search shows everyone again.
	await tabTo(page, search, { back: true, max: 12 });
	await page.keyboard.press('Control+A');
	await page.keyboard.press('Backspace');
	await expect(page.locator('#register-showing')).toHaveText('');
	await tabTo(page, mark(page, names[0]!), { max: 12 });
	await page.keyboard.press('End');
	await expect(mark(page, names[0]!)).toHaveValue('k');

	const save = page.getByRole('button', { name: 'Save register' });
	// One Tab a young person, then the button: no trap and nothing hidden in between.
	expect(await tabTo(page, save, { max: names.length + 2 })).toBe(names.length);
	await expectFocusVisible(page);
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(new RegExp(`${registerUrl}\\?saved=2&changed=2$`));
	const banner = page.locator('.govuk-notification-banner');
	await expect(banner).toContainText('2 marks saved; 2 were new or changed.');
	// The outcome takes focus, so a screen reader reads it and the next Tab continues from it.
	await expect(banner).toBeFocused();
	await expectAccessible(page);

	await page.goto(registerUrl);
	await expect(mark(page, names[0]!)).toHaveValue('k');
	await expect(mark(page, names[2]!)).toHaveValue('e');
});

async function signedInPage(browser: Browser, email: string): Promise<Page> {
	const page = await (await browser.newContext()).newPage();
	await signIn(page, email);
	return page;
}

test('two people marking one register keep each other’s changes, and the second to change the same young person chooses between the two', async ({
	browser
}) => {
	const lead = await signedInPage(browser, 'lead@demo.test');
	const admin = await signedInPage(browser, 'admin@demo.test');
	await openArtsRegister(lead, 'Past sessions', 1);
	await admin.goto(lead.url());
	const names = await namesOn(lead);

	// Both have the page open. The lead marks the first young person late and saves.
	await mark(lead, names[0]!).selectOption('l');
	await lead.getByRole('button', { name: 'Save register' }).click();
	await expect(lead.locator('.govuk-notification-banner')).toContainText('1 mark saved; 1 was new or changed.');

	// The admin, from the page as it was, marks the same young person absent and another left early.
	await mark(admin, names[0]!).selectOption('a');
	await mark(admin, names[1]!).selectOption('e');
	await admin.getByRole('button', { name: 'Save register' }).click();
	const conflict = admin.getByRole('region', { name: 'Important' });
	await expect(conflict).toBeFocused();
	await expect(conflict).toContainText('1 mark was changed by someone else while you were marking');
	const [last, first] = names[0]!.split(', ');
	await expect(conflict).toContainText(new RegExp(`marked ${first} late at \\d\\d:\\d\\d; you chose absent \\(authorised\\)`));
	await expect(conflict.getByRole('radio', { name: 'Keep theirs: Late' })).toBeChecked();
	await expectAccessible(admin);
	// The admin's other change was saved; theirs was not overwritten.
	await expect(mark(admin, names[1]!)).toHaveValue('e');
	await expect(mark(admin, names[0]!)).toHaveValue('l');

	await conflict.getByRole('radio', { name: 'Use yours: Absent (authorised)' }).check();
	await conflict.getByRole('button', { name: 'Save these choices' }).click();
	await expect(admin.locator('.govuk-notification-banner')).toContainText('1 mark saved; 1 was new or changed.');

	await lead.reload();
	await expect(mark(lead, names[0]!)).toHaveValue('a');
	await expect(mark(lead, names[1]!)).toHaveValue('e');
	expect(last).toBeTruthy();
	await lead.context().close();
	await admin.context().close();
});

test('“mark all unmarked as present” changes only the unmarked, can be undone, and saving before the session starts is refused with the choices kept', async ({
	page
}) => {
	await signIn(page, 'lead@demo.test');
	await openArtsRegister(page, 'Upcoming sessions');
	await expect(page.getByText('You can record attendance once the session has started')).toBeVisible();
	const names = await namesOn(page);
	expect(names.length).toBeGreaterThan(2);
	await mark(page, names[0]!).selectOption('u');
	const button = allPresentButton(page);
	await expect(button).toHaveText(`Mark all ${names.length - 1} unmarked as present`);
	await button.click();
	await expect(page.locator('#all-present-done')).toContainText(`${names.length - 1} young people chosen as present, not saved yet.`);
	await expect(mark(page, names[0]!)).toHaveValue('u');
	await expect(mark(page, names[1]!)).toHaveValue('p');
	await expect(page.locator('ul[data-totals="all"] [data-t=""]')).toHaveText('0');
	await expectAccessible(page);

	await page.getByRole('button', { name: 'Undo' }).click();
	await expect(mark(page, names[1]!)).toHaveValue('');
	await expect(mark(page, names[0]!)).toHaveValue('u');
	await expect(page.locator('ul[data-totals="all"] [data-t=""]')).toHaveText(String(names.length - 1));

	await button.click();
	await page.getByRole('button', { name: 'Save register' }).click();
	await expect(page).toHaveTitle(/^Error: /);
	const summary = page.locator('.govuk-error-summary');
	await expect(summary).toBeFocused();
	await expectFocusVisible(page);
	await expect(summary).toContainText('Attendance can be recorded once the session has started');
	// The choices are still chosen; nothing was saved.
	await expect(mark(page, names[0]!)).toHaveValue('u');
	await expect(mark(page, names[1]!)).toHaveValue('p');
	await expectAccessible(page);
	await summary.getByRole('link', { name: 'Attendance can be recorded once the session has started' }).click();
	await expect(page.locator('form#register')).toBeFocused();

	await page.goto(new URL(page.url()).pathname);
	await expect(page.locator('form#register select option[value=""][selected]')).toHaveCount(names.length);
});

test('without scripts the register marks the unmarked present for saving, and fits 768 pixels without scrolling sideways', async ({ browser }) => {
	const withScripts = await signedInPage(browser, 'lead@demo.test');
	const cookies = await withScripts.context().cookies();
	const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 768, height: 1024 } });
	await context.addCookies(cookies);
	const page = await context.newPage();
	await openArtsRegister(page, 'Upcoming sessions');
	await expect(page.getByLabel('Search by name')).toBeHidden();
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(768);
	const names = await namesOn(page);
	await mark(page, names[0]!).selectOption('l');
	await allPresentButton(page).click();
	await expect(page.locator('#preset')).toContainText(`${names.length - 1} young people not yet marked are now chosen as present, not saved yet`);
	await expect(mark(page, names[0]!)).toHaveValue('l');
	await expect(mark(page, names[1]!)).toHaveValue('p');
	await page.getByRole('button', { name: 'Save register' }).click();
	await expect(page.locator('.govuk-error-summary')).toContainText('Attendance can be recorded once the session has started');
	await expect(mark(page, names[1]!)).toHaveValue('p');
	await context.close();
	await withScripts.context().close();
});
