import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, demoSecondFactorKey, expectAccessible, linkFromOutbox, signIn, visit } from './helpers';
import { totpCode } from '../../src/lib/server/auth/totp';

test('a school contact signs in, sees their own school, and signs out', async ({ page }) => {
	await visit(page, '/sign-in');
	await page.getByLabel('Email address').fill('school@demo.test');
	await page.getByLabel('Password').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).toHaveURL(/\/dashboard$/);
	await expect(page.getByRole('heading', { name: 'Astor College' })).toBeVisible();
	await expectAccessible(page);

	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page).toHaveURL(/\/sign-in/);
	await expect(page.getByText('You have signed out.')).toBeVisible();
	await page.goto('/dashboard');
	await expect(page).toHaveURL(/\/sign-in\?redirectTo=%2Fdashboard/);
});

test('a wrong password shows the GOV.UK error pattern and keeps the email', async ({ page }) => {
	await page.goto('/sign-in');
	// Types once the page's scripts have started; typed-before-scripts.spec.ts types before.
	await page.waitForLoadState('networkidle');
	await page.getByLabel('Email address').fill('lead@demo.test');
	await page.getByLabel('Password').fill('not-the-password');
	await page.getByRole('button', { name: 'Sign in' }).click();

	await expect(page).toHaveTitle(/^Error: Sign in/);
	const summary = page.locator('.govuk-error-summary');
	await expect(summary).toBeFocused();
	await expect(summary.getByRole('link', { name: 'Enter a correct email address and password' })).toHaveAttribute('href', '#email');
	await expect(page.getByLabel('Email address')).toHaveValue('lead@demo.test');
	await expect(page.getByLabel('Password')).toHaveValue('');
	await expectAccessible(page);
});

test('an empty form names each missing field', async ({ page }) => {
	await page.goto('/sign-in');
	// Types once the page's scripts have started; typed-before-scripts.spec.ts types before.
	await page.waitForLoadState('networkidle');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.locator('.govuk-error-summary')).toContainText('Enter an email address');
	await expect(page.locator('.govuk-error-summary')).toContainText('Enter your password');
	await expect(page.locator('#password-error')).toContainText('Enter your password');
	await expectAccessible(page);
});

test('works by keyboard alone', async ({ page }) => {
	await page.goto('/sign-in');
	// Types once the page's scripts have started; typed-before-scripts.spec.ts types before.
	await page.waitForLoadState('networkidle');
	// The skip link comes first, then the header, then the form.
	await page.keyboard.press('Tab');
	await expect(page.getByRole('link', { name: 'Skip to main content' })).toBeFocused();
	await page.getByLabel('Email address').focus();
	await page.keyboard.type('viewer@demo.test');
	await page.keyboard.press('Tab');
	await expect(page.getByLabel('Password')).toBeFocused();
	await page.keyboard.type(DEMO_PASSWORD);
	await page.keyboard.press('Enter');
	// A viewer has a second factor: its code, typed too. The next step's code (accepted 30
	// seconds early), as this step's may have been used by an earlier test's sign-in.
	await expect(page).toHaveURL(/\/sign-in\/code$/);
	await page.getByLabel('Enter the code from your authenticator app').focus();
	await page.keyboard.type(totpCode(demoSecondFactorKey('viewer@demo.test'), new Date(), 1));
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/\/dashboard$/);
	await expect(page.getByRole('heading', { name: 'Schools in the district' })).toBeVisible();
});

test('an invited user sets a password, signs in, and after five wrong passwords is throttled with 429', async ({ page, browser }) => {
	const email = `new.contact.${Date.now()}@example.org`;
	await signIn(page, 'admin@demo.test');
	await visit(page, '/users/invite');
	await page.getByRole('button', { name: 'Send invitation' }).click();
	await expect(page).toHaveTitle(/^Error: /);
	await expect(page.locator('.govuk-error-summary')).toBeFocused();
	await expectAccessible(page);
	await page.getByLabel('Email address').fill(email);
	await page.getByLabel('Full name').fill('Nia Contact');
	await page.getByLabel('Role').selectOption({ label: 'School contact' });
	await page.getByLabel('School (school contacts only)').selectOption({ label: 'Goodwin Academy' });
	await page.getByRole('button', { name: 'Send invitation' }).click();
	await expect(page.getByText('Invitation sent.')).toBeVisible();
	await expectAccessible(page);

	const link = await linkFromOutbox(browser, email, '/invitation/');
	const invitee = await (await browser.newContext()).newPage();
	await visit(invitee, link);
	await invitee.getByLabel('New password', { exact: true }).fill('short');
	await invitee.getByRole('button', { name: 'Save password and sign in' }).click();
	await expect(invitee.locator('.govuk-error-summary')).toContainText('12 characters or more');
	await expectAccessible(invitee);
	await invitee.getByLabel('New password', { exact: true }).fill('a long and memorable passphrase');
	await invitee.getByLabel('Confirm new password').fill('a long and memorable passphrase');
	await invitee.getByRole('button', { name: 'Save password and sign in' }).click();
	await expect(invitee).toHaveURL(/\/dashboard/);
	await expect(invitee.getByRole('heading', { name: 'Goodwin Academy' })).toBeVisible();

	// The link works once.
	await invitee.goto(link);
	await expect(invitee.getByRole('heading', { name: /expired or has already been used/ })).toBeVisible();

	const stranger = await (await browser.newContext()).newPage();
	for (let attempt = 1; attempt <= 5; attempt++) {
		await stranger.goto('/sign-in');
		// Types once the page's scripts have started; typed-before-scripts.spec.ts types before.
		await stranger.waitForLoadState('networkidle');
		await stranger.getByLabel('Email address').fill(email);
		await stranger.getByLabel('Password').fill(`wrong guess ${attempt}`);
		await stranger.getByRole('button', { name: 'Sign in' }).click();
		await expect(stranger.locator('.govuk-error-summary')).toContainText('Enter a correct email address and password');
	}
	await stranger.goto('/sign-in');
	// Types once the page's scripts have started; typed-before-scripts.spec.ts types before.
	await stranger.waitForLoadState('networkidle');
	await stranger.getByLabel('Email address').fill(email);
	await stranger.getByLabel('Password').fill('a long and memorable passphrase');
	const [response] = await Promise.all([
		stranger.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/sign-in')),
		stranger.getByRole('button', { name: 'Sign in' }).click()
	]);
	expect(response.status()).toBe(429);
	await expect(stranger.locator('.govuk-error-summary')).toContainText(/Wait 1[45] minutes before you try again/);
	await expectAccessible(stranger);
});

test('resetting a password ends the sessions signed in elsewhere', async ({ page, browser }) => {
	await signIn(page, 'primary@demo.test');

	const other = await (await browser.newContext()).newPage();
	await other.goto('/sign-in');
	// Types once the page's scripts have started; typed-before-scripts.spec.ts types before.
	await other.waitForLoadState('networkidle');
	await other.getByRole('link', { name: 'I have forgotten my password' }).click();
	await expectAccessible(other);
	await other.getByLabel('Email address').fill('primary@demo.test');
	await other.getByRole('button', { name: 'Send the link' }).click();
	await expect(other.getByRole('heading', { name: 'Check your email' })).toBeVisible();
	await expectAccessible(other);

	const link = await linkFromOutbox(browser, 'primary@demo.test', '/reset-password/');
	await visit(other, link);
	await other.getByLabel('New password', { exact: true }).fill('another long passphrase here');
	await other.getByLabel('Confirm new password').fill('another long passphrase that differs');
	await other.getByRole('button', { name: 'Save password' }).click();
	await expect(other.locator('.govuk-error-summary')).toContainText('Passwords must match');
	await other.getByLabel('New password', { exact: true }).fill('another long passphrase here');
	await other.getByLabel('Confirm new password').fill('another long passphrase here');
	await other.getByRole('button', { name: 'Save password' }).click();
	await expect(other.getByText('Your password has been changed')).toBeVisible();

	// The first browser's session ended with the reset.
	await page.goto('/dashboard');
	await expect(page).toHaveURL(/\/sign-in/);
	await signIn(page, 'primary@demo.test', 'another long passphrase here');

	// An unknown address gets the same answer as a known one.
	await other.goto('/forgot-password');
	await other.getByLabel('Email address').fill('nobody@example.org');
	await other.getByRole('button', { name: 'Send the link' }).click();
	await expect(other.getByRole('heading', { name: 'Check your email' })).toBeVisible();
});
