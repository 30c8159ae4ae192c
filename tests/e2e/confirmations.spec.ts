import { expect, test, type Browser, type Page } from '@playwright/test';
import { expectAccessible, signIn, scheduleConfirmingHolidays } from './helpers';

// Actions that cannot be taken back ask first, on a page that says what will happen. These run
// without the page's script (a plain form post), and the final button is reached by keyboard.

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

async function withoutScript(browser: Browser, email: string): Promise<Page> {
	const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
	await signIn(page, email);
	return page;
}

/** axe needs script: the page as it is now, opened again in a context that runs it, with the same cookies. */
async function expectAccessibleAsIs(page: Page): Promise<void> {
	const context = await page.context().browser()!.newContext();
	await context.addCookies(await page.context().cookies());
	const copy = await context.newPage();
	await copy.goto(page.url());
	await expectAccessible(copy);
	await context.close();
}

/** Presses the confirmation's button from the keyboard: Tab until it has focus, then Enter. */
async function confirmByKeyboard(page: Page, name: string): Promise<void> {
	const button = page.getByRole('button', { name });
	for (let i = 0; i < 40 && !(await button.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
	await expect(button).toBeFocused();
	await page.keyboard.press('Enter');
}

test('a session and a booking are cancelled only after a page that says what will happen, and the booking can be undone', async ({ browser }) => {
	test.setTimeout(180_000);
	const lead = await withoutScript(browser, 'lead@demo.test');
	await lead.goto('/programmes');
	await lead.getByRole('link', { name: 'Youth Conference' }).click();
	await lead.getByRole('link', { name: 'Schedule sessions' }).click();
	const venue = `Confirmation Hall ${Date.now()}`;
	await lead.getByLabel('Date of the first session').fill(day(30));
	await lead.getByLabel('Start time').fill('10:00');
	await lead.getByLabel('End time').fill('12:00');
	await lead.getByLabel('Venue').fill(venue);
	await lead.getByLabel('Places', { exact: true }).fill('120');
	await lead.getByLabel('Booking opens').fill(day(-1));
	await lead.getByLabel('Booking closes').fill(day(20));
	await scheduleConfirmingHolidays(lead);
	await expect(lead.getByText('Sessions scheduled.')).toBeVisible();
	const sessionPath = (await lead.getByRole('row').filter({ hasText: venue }).getByRole('link').getAttribute('href'))!;

	// Astor College books all 120 places.
	const school = await withoutScript(browser, 'school@demo.test');
	await school.goto(`${sessionPath}/book`);
	await school.getByLabel('Year group').selectOption({ label: 'Year 8' });
	await school.getByLabel('Number of places').fill('120');
	await school.getByLabel("Contact's phone number").fill('01304 872000');
	await school.getByRole('button', { name: 'Book' }).click();
	await expect(school.getByText('Booking confirmed.')).toBeVisible();
	const bookingPath = new URL(school.url()).pathname;

	// Cancelling asks first; going back changes nothing.
	await school.getByRole('link', { name: 'Cancel this booking' }).click();
	await expect(school).toHaveURL(new RegExp(`${bookingPath}/cancel$`));
	await expect(school.getByTestId('consequences')).toContainText('120 places will be freed for other schools to book');
	await expect(school.getByTestId('consequences')).toContainText('Astor College will be emailed');
	await expect(school.getByTestId('consequences')).toContainText('You can undo this for 15 minutes');
	await expectAccessibleAsIs(school);
	await school.getByRole('link', { name: 'No, keep the booking' }).click();
	await expect(school.getByText('120 confirmed')).toBeVisible();

	await school.getByRole('link', { name: 'Cancel this booking' }).click();
	await confirmByKeyboard(school, 'Yes, cancel the booking');
	await expect(school.getByText('Booking cancelled.')).toBeVisible();
	await expect(school.getByText('120 cancelled')).toBeVisible();
	await expectAccessibleAsIs(school);
	// A minute later it is undone: the places were still free.
	await school.getByRole('button', { name: 'Undo the cancellation' }).click();
	await expect(school.getByText('Cancellation undone')).toBeVisible();
	await expect(school.getByText('120 confirmed')).toBeVisible();

	// The lead cancels the session: the page counts the booking and names the school emailed.
	await lead.goto(sessionPath);
	await lead.getByRole('link', { name: 'Change, cancel or complete' }).click();
	await lead.getByRole('link', { name: 'Cancel this session' }).click();
	await expect(lead.getByRole('heading', { level: 1 })).toHaveText('Are you sure you want to cancel this session?');
	await expect(lead.getByTestId('consequences')).toContainText('1 booking from 1 school (120 places confirmed) will end');
	await expect(lead.getByTestId('consequences')).toContainText('Every school that booked will be emailed that the session is cancelled: Astor College');
	await expectAccessibleAsIs(lead);
	await confirmByKeyboard(lead, 'Yes, cancel the session');
	await expect(lead.getByText('Session cancelled.')).toBeVisible();
	await school.goto(bookingPath);
	await expect(school.getByText('The session has been cancelled.')).toBeVisible();
	await school.context().close();
	await lead.context().close();
});

test('stopping a calendar link and deactivating a user ask first', async ({ browser }) => {
	test.setTimeout(120_000);
	const school = await withoutScript(browser, 'school@demo.test');
	await school.goto('/bookings/calendar-feed');
	await school.getByRole('button', { name: /Create a calendar link|Make a new link/ }).click();
	await school.goto('/bookings/calendar-feed');
	await school.getByRole('link', { name: 'Stop the link working' }).click();
	await expect(school.getByTestId('consequences')).toContainText('will stop working straight away');
	await expectAccessibleAsIs(school);
	await confirmByKeyboard(school, 'Yes, stop the link');
	await expect(school).toHaveURL(/\/bookings\/calendar-feed$/);
	await expect(school.getByText('Your school does not have a calendar link.')).toBeVisible();
	await school.context().close();

	const admin = await withoutScript(browser, 'admin@demo.test');
	const email = `leaver.${Date.now()}@demo.test`;
	await admin.goto('/users/invite');
	await admin.getByLabel('Email address').fill(email);
	await admin.getByLabel('Full name').fill('Lee Leaver');
	await admin.getByLabel('Role').selectOption({ label: 'Report viewer' });
	await admin.getByRole('button', { name: 'Send invitation' }).click();
	await expect(admin.getByText('Invitation sent.')).toBeVisible();
	await admin.getByRole('link', { name: 'Deactivate user' }).click();
	await expect(admin.getByRole('heading', { level: 1 })).toHaveText('Are you sure you want to deactivate Lee Leaver?');
	await expect(admin.getByTestId('consequences')).toContainText('signed out everywhere');
	await expectAccessibleAsIs(admin);
	await confirmByKeyboard(admin, 'Yes, deactivate the user');
	await expect(admin.getByText('User deactivated.')).toBeVisible();
	await admin.context().close();
});
