import AxeBuilder from '@axe-core/playwright';
import { expect, type Browser, type Page } from '@playwright/test';

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

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
	await page.goto('/sign-in');
	// Typed into before the page's scripts have started, the form can be sent empty.
	await page.waitForLoadState('networkidle');
	await page.getByLabel('Email address').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).toHaveURL(/\/dashboard/);
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
