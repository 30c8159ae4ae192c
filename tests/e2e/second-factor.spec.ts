import { expect, test, type Page } from '@playwright/test';
import { totpCode } from '../../src/lib/server/auth/totp';
import { DEMO_PASSWORD, expectAccessible, linkFromOutbox, signIn } from './helpers';

// A report viewer invited by the admin must set up a second factor before any page; then
// signs in with codes, a recovery code (once), a remembered computer; and after an admin
// resets it, sets it up again.

const PASSWORD = 'a long and memorable passphrase';

/** Presses Tab until the element with this id has focus, as a keyboard user would. */
async function tabTo(page: Page, id: string): Promise<void> {
	for (let i = 0; i < 40; i++) {
		await page.keyboard.press('Tab');
		if (await page.evaluate((want) => document.activeElement?.id === want, id)) return;
	}
	throw new Error(`Tab never reached #${id}`);
}

async function passwordStep(page: Page, email: string): Promise<void> {
	await page.goto('/sign-in');
	await page.waitForLoadState('networkidle');
	await page.getByLabel('Email address').fill(email);
	await page.getByLabel('Password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Sign in' }).click();
}

async function enterCode(page: Page, code: string, remember = false): Promise<void> {
	await page.getByLabel('Enter the code from your authenticator app').fill(code);
	if (remember) await page.getByLabel('Remember this computer for 30 days').check();
	await page.getByRole('button', { name: 'Continue' }).click();
}

async function signOut(page: Page): Promise<void> {
	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page).toHaveURL(/\/sign-in/);
}

test('a viewer sets up a second factor by keyboard, signs in with codes and a recovery code, and an admin resets it', async ({ page, browser }) => {
	test.setTimeout(180_000);
	const email = `mfa.viewer.${Date.now()}@example.org`;
	const admin = await (await browser.newContext()).newPage();
	await signIn(admin, 'admin@demo.test', DEMO_PASSWORD);
	await admin.goto('/users/invite');
	await admin.getByLabel('Email address').fill(email);
	await admin.getByLabel('Full name').fill('Mo Viewer');
	await admin.getByLabel('Role').selectOption({ label: 'Report viewer' });
	await admin.getByRole('button', { name: 'Send invitation' }).click();
	await expect(admin.getByText('Invitation sent.')).toBeVisible();
	const accountUrl = admin.url();

	await page.goto(await linkFromOutbox(browser, email, '/invitation/'));
	await page.getByLabel('New password', { exact: true }).fill(PASSWORD);
	await page.getByLabel('Confirm new password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Save password and sign in' }).click();

	// A viewer must have a second factor: no page but its set-up until then.
	await expect(page).toHaveURL(/\/sign-in\/set-up$/);
	await page.goto('/dashboard');
	await expect(page).toHaveURL(/\/sign-in\/set-up$/);
	// A page's data answers with the same redirect (SvelteKit's JSON form of it), and no figures.
	expect(await (await page.request.get('/reports/__data.json')).json()).toEqual({ type: 'redirect', location: '/sign-in/set-up' });
	await expect(page.getByRole('heading', { name: 'Set up a second factor' })).toBeVisible();
	await expect(page.locator('.app-qr-code svg')).toBeVisible();
	await expectAccessible(page);
	const key = (await page.locator('#totp-key').textContent())!.replace(/\s/g, '');
	expect(key).toMatch(/^[A-Z2-7]{32}$/);

	// By keyboard alone: a wrong code first, then the right one.
	await page.waitForLoadState('networkidle');
	await tabTo(page, 'code');
	await page.keyboard.type('000000');
	await page.keyboard.press('Enter');
	await expect(page).toHaveTitle(/^Error: /);
	await expect(page.locator('.govuk-error-summary')).toBeFocused();
	await expect(page.locator('.govuk-error-summary')).toContainText('The code is not right');
	await expectAccessible(page);
	// The same key again after a mistake, so the app need not be set up twice.
	expect((await page.locator('#totp-key').textContent())!.replace(/\s/g, '')).toBe(key);
	await tabTo(page, 'code');
	await page.keyboard.type(totpCode(key));
	await page.keyboard.press('Enter');
	await expect(page.getByRole('heading', { name: 'Save your recovery codes' })).toBeVisible();
	await expectAccessible(page);
	const codes = await page.getByRole('list', { name: 'Recovery codes' }).locator('li').allTextContents();
	expect(codes).toHaveLength(10);
	await page.getByRole('link', { name: 'I have saved my recovery codes' }).focus();
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/\/dashboard$/);
	await signOut(page);

	// Half signed in: the code page and nothing else.
	await passwordStep(page, email);
	await expect(page).toHaveURL(/\/sign-in\/code$/);
	await page.goto('/reports');
	await expect(page).toHaveURL(/\/sign-in\/code$/);
	await expectAccessible(page);
	await enterCode(page, '123 456');
	await expect(page).toHaveTitle(/^Error: /);
	await expect(page.locator('.govuk-error-summary')).toBeFocused();
	await expect(page.locator('.govuk-error-summary').getByRole('link', { name: /The code is not right/ })).toHaveAttribute('href', '#code');
	await expectAccessible(page);

	// A recovery code works once.
	await enterCode(page, codes[0]!);
	await expect(page).toHaveURL(/\/dashboard$/);
	await signOut(page);
	await passwordStep(page, email);
	await enterCode(page, codes[0]!);
	await expect(page.locator('.govuk-error-summary')).toContainText('The code is not right');

	// The next step's code (set-up used this one's), and this computer remembered.
	await enterCode(page, totpCode(key, new Date(), 1), true);
	await expect(page).toHaveURL(/\/dashboard$/);
	await signOut(page);
	await passwordStep(page, email);
	await expect(page).toHaveURL(/\/dashboard$/);
	await signOut(page);

	// The admin resets it: the remembered computer is forgotten, and set-up comes again.
	await admin.goto(accountUrl.replace(/\?.*$/, ''));
	await expect(admin.locator('.govuk-summary-list')).toContainText(/Set up/);
	await admin.getByRole('button', { name: 'Reset second factor' }).click();
	await expect(admin.getByText('Second factor reset.')).toBeVisible();
	await expect(admin.locator('.govuk-summary-list')).toContainText('Not set up');
	await expectAccessible(admin);
	await admin.goto('/audit?action=mfa.reset');
	await expect(admin.locator('tbody tr').first()).toContainText('Second factor reset');

	await passwordStep(page, email);
	await expect(page).toHaveURL(/\/sign-in\/set-up$/);
});
