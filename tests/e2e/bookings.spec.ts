import { expect, test, type Browser, type Page } from '@playwright/test';
import { expectAccessible, linkFromOutbox, signIn, scheduleConfirmingHolidays } from './helpers';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** An admin invites a contact for a school, who sets a password: their signed-in page. */
async function newSchoolContact(browser: Browser, school: string, email: string): Promise<Page> {
	const admin = await (await browser.newContext()).newPage();
	await signIn(admin, 'admin@demo.test');
	await admin.goto('/users/invite');
	await admin.getByLabel('Email address').fill(email);
	await admin.getByLabel('Full name').fill('Gill Grammar');
	await admin.getByLabel('Role').selectOption({ label: 'School contact' });
	await admin.getByLabel('School (school contacts only)').selectOption({ label: school });
	await admin.getByRole('button', { name: 'Send invitation' }).click();
	await expect(admin.getByText('Invitation sent.')).toBeVisible();
	await admin.context().close();
	const page = await (await browser.newContext()).newPage();
	await page.goto(await linkFromOutbox(browser, email, '/invitation/'));
	await page.getByLabel('New password', { exact: true }).fill('a long and memorable passphrase');
	await page.getByLabel('Confirm new password').fill('a long and memorable passphrase');
	await page.getByRole('button', { name: 'Save password and sign in' }).click();
	await expect(page).toHaveURL(/\/dashboard/);
	return page;
}

async function book(page: Page, sessionPath: string, places: string): Promise<void> {
	await page.goto(sessionPath);
	await page.getByRole('link', { name: /Book places|Join the waiting list/ }).click();
	await expectAccessible(page);
	await page.getByLabel('Year group').selectOption({ label: 'Year 8' });
	await page.getByLabel('Number of places').fill(places);
	await page.getByLabel("Contact's phone number").fill('01304 872000');
	await page.getByRole('button', { name: 'Book' }).click();
}

test('schools book, fill the session, join the waiting list, and are promoted when a place is given up', async ({ page, browser }) => {
	test.setTimeout(180_000);
	// The lead schedules a 10-place Youth Conference session, after a mistake.
	await signIn(page, 'lead@demo.test');
	await page.goto('/programmes');
	await page.getByRole('link', { name: 'Youth Conference' }).click();
	await expectAccessible(page);
	await page.getByRole('link', { name: 'Schedule sessions' }).click();
	await page.getByLabel('Date of the first session').fill(day(20));
	await page.getByLabel('Start time').fill('12:00');
	await page.getByLabel('End time').fill('10:00');
	await page.getByLabel('Venue').fill('Whitfield Test Hall');
	await page.getByLabel('Places', { exact: true }).fill('10');
	await page.getByLabel('Booking opens').fill(day(-1));
	await page.getByLabel('Booking closes').fill(day(10));
	await page.getByRole('button', { name: 'Schedule' }).click();
	await expect(page.locator('.govuk-error-summary')).toBeFocused();
	await expect(page.locator('.govuk-error-summary')).toContainText('The session must end after it starts');
	await expect(page.getByLabel('Venue')).toHaveValue('Whitfield Test Hall');
	await expectAccessible(page);
	await page.getByLabel('Start time').fill('10:00');
	await page.getByLabel('End time').fill('12:00');
	await scheduleConfirmingHolidays(page);
	await expect(page.getByText('Sessions scheduled.')).toBeVisible();
	const sessionPath = (await page.getByRole('row').filter({ hasText: 'Whitfield Test Hall' }).getByRole('link').getAttribute('href'))!;
	expect(sessionPath).toMatch(/^\/sessions\/[0-9a-f-]{36}$/);

	// Astor College books 6 of the 10 places.
	const astor = await (await browser.newContext()).newPage();
	await signIn(astor, 'school@demo.test');
	await book(astor, sessionPath, '6');
	await expect(astor.getByText('Booking confirmed.')).toBeVisible();
	await expectAccessible(astor);
	const astorBooking = new URL(astor.url()).pathname;

	// The lead sees it.
	await page.goto(sessionPath);
	await expect(page.getByRole('row').filter({ hasText: 'Astor College' })).toContainText('6 confirmed');
	await expectAccessible(page);

	// The school's office and the lead both have the booking open. The office asks for 7; the
	// lead's change, from the page opened on 6, is refused with what is saved now beside it, and
	// the lead, having seen it, puts it back to 6 knowingly.
	await page.goto(astorBooking);
	await astor.goto(astorBooking);
	await astor.getByLabel('Number of places').fill('7');
	await astor.getByRole('button', { name: 'Change places' }).click();
	await expect(astor.getByText('Booking changed.')).toBeVisible();
	await page.getByLabel('Number of places').fill('5');
	await page.getByRole('button', { name: 'Change places' }).click();
	const refusal = page.locator('.govuk-error-summary');
	await expect(refusal).toBeFocused();
	await expect(refusal).toContainText('This booking was changed by someone else, after you opened this page');
	await expect(page.locator('#places-error')).toContainText('Number of places: saved now as ‘7’');
	await expect(page.getByLabel('Number of places')).toHaveValue('5');
	await expectAccessible(page);
	await page.getByLabel('Number of places').fill('6');
	await page.getByRole('button', { name: 'Change places' }).click();
	await expect(page.getByText('Booking changed.')).toBeVisible();
	await expect(page.getByText('6 confirmed')).toBeVisible();

	// Another school asks for 6: 4 are free, so it is asked, and takes 4 now and waits for 2.
	const girls = await newSchoolContact(browser, 'Dover Grammar School for Girls', `office.${Date.now()}@dggs.example.org`);
	await book(girls, sessionPath, '6');
	await expect(girls.locator('.govuk-error-summary')).toContainText('Only 4 of the 6 places you asked for are free');
	await expect(girls.getByLabel('Number of places')).toHaveValue('6');
	await expectAccessible(girls);
	await girls.getByLabel('Take the 4 free places now and wait for the other 2').check();
	await girls.getByRole('button', { name: 'Continue' }).click();
	await expect(girls.getByText('your booking is on the waiting list')).toBeVisible();
	await expect(girls.getByText('4 of 6 confirmed, 2 waiting')).toBeVisible();
	const girlsBooking = new URL(girls.url()).pathname;

	// A school contact asking for another school's booking gets a 404.
	expect((await astor.goto(girlsBooking))?.status()).toBe(404);

	// Astor cancels, after a page that says what will happen; the waiting places go to the other school, which is emailed.
	await astor.goto(astorBooking);
	await astor.getByRole('link', { name: 'Cancel this booking' }).click();
	await expect(astor.getByRole('heading', { level: 1 })).toHaveText('Are you sure you want to cancel this booking?');
	await expect(astor.getByTestId('consequences')).toContainText('6 places will be freed and offered to the school on the waiting list');
	await expect(astor.getByTestId('consequences')).toContainText('Astor College will be emailed');
	await expectAccessible(astor);
	await astor.getByRole('button', { name: 'Yes, cancel the booking' }).click();
	await expect(astor.getByText('Booking cancelled.')).toBeVisible();
	await girls.goto(girlsBooking);
	await expect(girls.getByText('6 confirmed')).toBeVisible();
	// The places have gone to the waiting list, so the cancellation can no longer be undone.
	await astor.getByRole('button', { name: 'Undo the cancellation' }).click();
	await expect(astor.locator('.govuk-error-summary')).toContainText('The places have gone to other schools since');
	await page.goto(sessionPath);
	await expect(page.getByRole('row').filter({ hasText: 'Dover Grammar School for Girls' })).toContainText('6 confirmed');

	await page.context().close();
	const admin = await (await browser.newContext()).newPage();
	await signIn(admin, 'admin@demo.test');
	await admin.goto('/outbox');
	await expect(admin.locator('.govuk-summary-card').filter({ hasText: 'Places confirmed from the waiting list' }).first()).toContainText('dggs.example.org');
});

test('the month calendar and the session list show places left, and pass axe', async ({ page }) => {
	await signIn(page, 'school@demo.test');
	await page.goto('/sessions');
	await expect(page.getByRole('heading', { name: 'Sessions your school can book' })).toBeVisible();
	await expect(page.locator('.govuk-summary-list__key', { hasText: 'Places left' }).first()).toBeVisible();
	await expectAccessible(page);
	await page.getByRole('link', { name: 'Show as a month calendar' }).click();
	await expect(page.locator('table.app-calendar')).toBeVisible();
	await expectAccessible(page);
	await page.goto('/bookings');
	await expectAccessible(page);
});

test('a carousel session shows its timetable with a register per workstation', async ({ page }) => {
	await signIn(page, 'lead@demo.test');
	await page.goto('/programmes');
	await page.getByRole('link', { name: 'Safety in Action Week' }).click();
	await page.getByRole('table', { name: 'Upcoming sessions' }).getByRole('link').first().click();
	await page.getByRole('link', { name: 'Timetable and registers' }).click();
	await expect(page.getByRole('table', { name: 'Where each group is, rotation by rotation' })).toBeVisible();
	await expect(page.locator('.app-register')).toHaveCount(8);
	await expectAccessible(page);
	await page.goBack();
	await page.getByRole('link', { name: 'Workstations' }).click();
	await expectAccessible(page);
});
