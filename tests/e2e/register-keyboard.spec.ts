import { expect, test, type Locator, type Page } from '@playwright/test';
import { expectAccessible, signIn } from './helpers';

// A lead takes a named register with the keyboard alone: once on the register page, nothing
// here clicks or fills; every change is a key press, as a lead on a laptop without a mouse or
// with a switch device would make it.

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
async function openArtsRegister(page: Page, table: 'Past sessions' | 'Upcoming sessions'): Promise<void> {
	await page.goto('/programmes');
	await page.getByRole('link', { name: 'Dover Smart Arts Project' }).click();
	await page.getByRole('table', { name: table }).getByRole('link').first().click();
	await page.getByRole('link', { name: 'Register', exact: true }).click();
	await expect(page.getByRole('heading', { level: 1, name: /^Register for/ })).toBeVisible();
}

const row = (page: Page, name: string) => page.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
const radio = (page: Page, name: string, status: string) => row(page, name).getByRole('radio', { name: status, exact: true });

test('a lead marks a past session’s register with the keyboard alone and the marks are saved', async ({ page }) => {
	await signIn(page, 'lead@demo.test');
	await openArtsRegister(page, 'Past sessions');
	await expectAccessible(page);
	const registerUrl = new URL(page.url()).pathname;
	const rows = page.locator('form#register tbody tr');
	// 14 students were enrolled in 2018-19 (other tests may have enrolled more since).
	const people = await rows.count();
	expect(people).toBeGreaterThanOrEqual(14);
	const names = (await rows.locator('th').allTextContents()).map((n) => n.trim());

	// The skip link first, then into the page.
	await page.keyboard.press('Tab');
	const skip = page.getByRole('link', { name: 'Skip to main content' });
	await expect(skip).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(page.locator('main')).toBeFocused();

	const everyone = page.getByRole('button', { name: 'Mark everyone present' });
	// Only the back link stands between the top of the page and the register's first control.
	expect(await tabTo(page, everyone)).toBe(2);
	await expectFocusVisible(page);
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(new RegExp(`${registerUrl}\\?saved=${people}&`));
	const banner = page.locator('.govuk-notification-banner');
	await expect(banner).toContainText(`${people} marks saved`);
	// The outcome takes focus, so a screen reader reads it and the next Tab continues from it.
	await expect(banner).toBeFocused();
	await expectFocusVisible(page);
	for (const name of names) await expect(radio(page, name, 'Present')).toBeChecked();
	await expectAccessible(page);

	// Tab goes to the register's scrolling region, then to the first young person's chosen mark.
	await page.keyboard.press('Tab');
	await expect(everyone).toBeFocused();
	await page.keyboard.press('Tab');
	await expect(page.getByRole('region', { name: /^Register for / })).toBeFocused();
	await page.keyboard.press('Tab');
	await expect(radio(page, names[0]!, 'Present')).toBeFocused();
	await expectFocusVisible(page);

	// In a group of radios the arrow keys move and choose; Tab moves on to the next young person.
	await page.keyboard.press('ArrowRight');
	await expect(radio(page, names[0]!, 'Late')).toBeFocused();
	await expect(radio(page, names[0]!, 'Late')).toBeChecked();
	await page.keyboard.press('Tab');
	await expect(radio(page, names[1]!, 'Present')).toBeFocused();
	await page.keyboard.press('ArrowRight');
	await page.keyboard.press('ArrowRight');
	await expect(radio(page, names[1]!, 'Excused absence')).toBeChecked();
	await expectFocusVisible(page);

	// Shift+Tab goes back to the previous young person's chosen mark, not into the middle of the group.
	await page.keyboard.press('Shift+Tab');
	await expect(radio(page, names[0]!, 'Late')).toBeFocused();
	await page.keyboard.press('Tab');
	await page.keyboard.press('Tab');
	await expect(radio(page, names[2]!, 'Present')).toBeFocused();
	// From the first choice, the left arrow wraps round to the last.
	await page.keyboard.press('ArrowLeft');
	await expect(radio(page, names[2]!, 'Unexcused absence')).toBeChecked();

	const save = page.getByRole('button', { name: 'Save register' });
	// One Tab a young person, then the button: no trap and nothing hidden in between.
	expect(await tabTo(page, save)).toBe(people - 3 + 1);
	await expectFocusVisible(page);
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(new RegExp(`${registerUrl}\\?saved=${people}&changed=3$`));
	await expect(banner).toContainText(`${people} marks saved; 3 were new or changed.`);
	await expect(banner).toBeFocused();
	await expectAccessible(page);

	await page.goto(registerUrl);
	await expect(radio(page, names[0]!, 'Late')).toBeChecked();
	await expect(radio(page, names[1]!, 'Excused absence')).toBeChecked();
	await expect(radio(page, names[2]!, 'Unexcused absence')).toBeChecked();
	for (const name of names.slice(3)) await expect(radio(page, name, 'Present')).toBeChecked();
	await expect(page.getByRole('radio', { checked: true })).toHaveCount(people);
});

test('saving a register before the session starts puts focus on the error summary, which leads back to the register', async ({ page }) => {
	await signIn(page, 'lead@demo.test');
	await openArtsRegister(page, 'Upcoming sessions');
	await expect(page.getByText('You can record attendance once the session has started')).toBeVisible();
	await expectAccessible(page);

	const names = (await page.locator('form#register tbody th').allTextContents()).map((n) => n.trim());
	expect(names.length).toBeGreaterThan(1);
	await tabTo(page, radio(page, names[0]!, 'Present'));
	// With nothing chosen yet, Space chooses the focused mark.
	await page.keyboard.press('Space');
	await expect(radio(page, names[0]!, 'Present')).toBeChecked();
	await tabTo(page, page.getByRole('button', { name: 'Save register' }));
	await page.keyboard.press('Enter');

	await expect(page).toHaveTitle(/^Error: /);
	const summary = page.locator('.govuk-error-summary');
	await expect(summary).toBeFocused();
	await expectFocusVisible(page);
	await expect(summary).toContainText('Attendance can be recorded once the session has started');
	// The mark chosen is still chosen; nothing was saved.
	await expect(radio(page, names[0]!, 'Present')).toBeChecked();
	await expectAccessible(page);

	await page.keyboard.press('Tab');
	const problem = summary.getByRole('link', { name: 'Attendance can be recorded once the session has started' });
	await expect(problem).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(page.locator('form#register')).toBeFocused();

	await page.reload();
	await expect(page.getByRole('radio', { checked: true })).toHaveCount(0);
});
