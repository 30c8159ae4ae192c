import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { DEMO_SECOND_FACTOR_EMAILS, demoTotpKey } from '../../src/lib/server/demo/demo-second-factor';
import { totpCode } from '../../src/lib/server/auth/totp';

export const DEMO_PASSWORD = 'demo-password-2019';

/** Runs axe against WCAG 2.2 A and AA on the page as it is now; any violation fails the test. */
export async function expectAccessible(page: Page): Promise<void> {
	const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa']).analyze();
	const summary = results.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
	expect(summary, `axe violations on ${page.url()}`).toEqual([]);
}

/** Goes to a page and checks it with axe. */
export async function visit(page: Page, path: string): Promise<void> {
	await page.goto(path);
	await expectAccessible(page);
}

/**
 * Remembered-device cookies, by server and email: a demo user whose code was given once skips
 * it afterwards (as "Remember this computer" promises), so sign-ins in quick succession do not
 * wait for a new code (a code is accepted only once).
 */
const rememberedDevices = new Map<string, { name: string; value: string }>();

/** Keys set up by signIn for users who had none (an invited lead, say), by server and email. */
const keysSetUp = new Map<string, string>();

/** Signs in, giving the second factor's code for a demo user who has one (or `totpKey`'s). */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD, totpKey?: string): Promise<void> {
	const origin = new URL(test.info().project.use.baseURL ?? page.url()).origin;
	const remembered = rememberedDevices.get(`${origin} ${email}`);
	if (remembered) await page.context().addCookies([{ ...remembered, url: origin }]);
	await page.goto('/sign-in');
	// Types once the page's scripts have started; typed-before-scripts.spec.ts types before.
	await page.waitForLoadState('networkidle');
	await page.getByLabel('Email address').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).toHaveURL(/\/(dashboard|sign-in\/code|sign-in\/set-up)/);
	if (new URL(page.url()).pathname === '/sign-in/set-up') {
		// A user whose role needs a second factor and who has none yet sets one up, as they would.
		await page.waitForLoadState('networkidle');
		const key = (await page.locator('#totp-key').textContent())!.replace(/\s/g, '');
		await page.getByLabel('Enter the 6-digit code the app shows').fill(totpCode(key, new Date()));
		await page.getByRole('button', { name: 'Continue' }).click();
		await page.getByRole('link', { name: 'I have saved my recovery codes' }).click();
		keysSetUp.set(`${origin} ${email}`, key);
	} else if (new URL(page.url()).pathname === '/sign-in/code') {
		await enterSecondFactorCode(page, totpKey ?? keysSetUp.get(`${origin} ${email}`) ?? demoSecondFactorKey(email), { remember: true });
		const device = (await page.context().cookies(origin)).find((c) => c.name === 'device' || c.name === '__Host-device');
		if (device) rememberedDevices.set(`${origin} ${email}`, { name: device.name, value: device.value });
	}
	await expect(page).toHaveURL(/\/dashboard/);
}

/** The demo key of a demo admin, lead or viewer (src/lib/server/demo/demo-second-factor.ts). */
export function demoSecondFactorKey(email: string): string {
	if (!DEMO_SECOND_FACTOR_EMAILS.includes(email)) throw new Error(`${email} has no demo second factor`);
	return demoTotpKey(email);
}

/**
 * On the code page: types the current code and continues. A code is accepted once, so when
 * this step's was used already (by an earlier sign-in), the next step's (accepted 30 seconds
 * early) is tried, and failing that, the next step is waited for.
 */
export async function enterSecondFactorCode(page: Page, key: string, { remember = false } = {}): Promise<void> {
	for (const [i, offset] of [0, 1, 1].entries()) {
		if (i === 2) await page.waitForTimeout(30_500 - (Date.now() % 30_000));
		await page.getByLabel('Enter the code from your authenticator app').fill(totpCode(key, new Date(), offset));
		if (remember) await page.getByLabel('Remember this computer for 30 days').check();
		await Promise.all([
			page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/sign-in/code'),
			page.getByRole('button', { name: 'Continue' }).click()
		]);
		await page.waitForLoadState('load');
		const stillAsked = new URL(page.url()).pathname === '/sign-in/code' && (await page.locator('.govuk-error-summary').count()) > 0;
		if (!stillAsked) return;
	}
	throw new Error('The second factor code was refused');
}

/** The newest link to `path` in an email kept for `to`, read from the outbox as the demo admin. */
export async function linkFromOutbox(browser: Browser, to: string, path: '/invitation/' | '/reset-password/'): Promise<string> {
	const context = await browser.newContext();
	const page = await context.newPage();
	await signIn(page, 'admin@demo.test');
	await page.goto('/outbox');
	const card = page.locator('.govuk-summary-card').filter({ hasText: to }).first();
	const body = await card.locator('.app-message-body').textContent();
	await context.close();
	const match = body?.match(new RegExp(`https?://[^\\s]+${path}[a-z0-9]+`));
	if (!match) throw new Error(`No ${path} link in the outbox for ${to}`);
	return new URL(match[0]).pathname;
}

/**
 * Submits the session form for a single session. Dates in the tests are days from today, so one
 * may fall in the school holidays: the form then asks first, and this confirms it.
 */
export async function scheduleConfirmingHolidays(page: Page): Promise<void> {
	await page.getByRole('button', { name: 'Schedule' }).click();
	const confirm = page.getByLabel('Schedule it in the school holidays all the same');
	await expect(page.getByText('Sessions scheduled.').or(confirm)).toBeVisible();
	if ((await confirm.count()) > 0) {
		await confirm.check();
		await page.getByRole('button', { name: 'Schedule' }).click();
	}
}

/** A report table's cell in a row, under the heading of the column with this key (the heading's `data-column`), as a reader finds it. */
export async function cellUnder(table: Locator, row: Locator, key: string): Promise<Locator> {
	return row.locator(':scope > th, :scope > td').nth(await columnIndex(table, key));
}

/** Where a report table's column is among its headings, by its key. */
export async function columnIndex(table: Locator, key: string): Promise<number> {
	const index = await table.locator('thead th').evaluateAll((headings, k) => headings.findIndex((th) => th.getAttribute('data-column') === k), key);
	expect(index, `a heading for ${key}`).toBeGreaterThan(0);
	return index;
}

/** One of a report's headline figures, by its label: the item (label, figure and note) and its figure. */
export function headline(page: Page, label: string): { item: Locator; figure: Locator } {
	const item = page.locator('.app-headlines > div', { has: page.locator('dt').getByText(label, { exact: true }) });
	return { item, figure: item.locator('dt + dd') };
}
