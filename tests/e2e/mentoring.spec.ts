import { expect, test } from '@playwright/test';
import { expectAccessible, signIn } from './helpers';

/** The academic year holding today in the UK, by the calendar year it began. */
function currentAcademicYear(): number {
	const [year, month] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit' })
		.format(new Date())
		.split('-')
		.map(Number) as [number, number];
	return month >= 9 ? year : year - 1;
}

/** A date in UK time as YYYY-MM-DD, `days` from today. */
function londonDate(days = 0): string {
	const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
	const date = new Date(`${today}T12:00:00Z`);
	date.setUTCDate(date.getUTCDate() + days);
	return date.toISOString().slice(0, 10);
}

// The first test adds the current academic year's cohort, which the second pairs in: serial, so
// the second runs only after the first has passed.
test.describe.configure({ mode: 'serial' });

test('a lead opens mentoring for the Peer Mentoring Programme and adds a cohort, fixing a mistake first', async ({ page }) => {
	const year = currentAcademicYear();
	await signIn(page, 'lead@demo.test');
	await page.goto('/programmes');
	await expectAccessible(page);
	await page.getByRole('link', { name: 'Peer Mentoring Programme' }).click();
	await expectAccessible(page);
	await page.getByRole('link', { name: 'Mentoring', exact: true }).click();
	await expect(page.getByRole('heading', { name: 'Mentoring', level: 1 })).toBeVisible();
	await expectAccessible(page);

	await page.getByLabel('Academic year').fill('next year');
	await page.getByRole('button', { name: 'Add cohort' }).click();
	await expect(page).toHaveTitle(/^Error: /);
	await expect(page.locator('.govuk-error-summary')).toBeFocused();
	await expect(page.locator('.govuk-error-summary')).toContainText('Enter the year the academic year starts as 4 digits');
	await expectAccessible(page);

	await page.getByLabel('Academic year').fill(String(year));
	await page.getByRole('button', { name: 'Add cohort' }).click();
	await expect(page.getByText('Cohort added.')).toBeVisible();
	await expect(page.getByRole('heading', { name: `Cohort ${year} to ${year + 1}` })).toBeVisible();
	await expect(page.getByLabel('Mentor', { exact: true })).toBeVisible();
	await expectAccessible(page);
});

test('a school adds a sixth-former and a Year 8, then the lead pairs them and logs a meeting, a bad one first', async ({ browser, page }) => {
	const year = currentAcademicYear();
	const tag = Date.now().toString(36);
	const mentor = { first: 'Maya', last: `Mentorfield-${tag}`, year: 'Year 12' };
	const mentee = { first: 'Theo', last: `Menteeworth-${tag}`, year: 'Year 8' };

	const school = await browser.newContext();
	const contact = await school.newPage();
	await signIn(contact, 'school@demo.test');
	for (const person of [mentor, mentee]) {
		await contact.goto('/young-people/new');
		await expectAccessible(contact);
		await contact.getByLabel('First name').fill(person.first);
		await contact.getByLabel('Last name').fill(person.last);
		await contact.getByLabel('Year group').selectOption({ label: person.year });
		await contact.getByRole('button', { name: 'Add young person' }).click();
		await expect(contact.getByText('Young person added.')).toBeVisible();
		await contact.goto(`/young-people?search=${encodeURIComponent(person.last)}`);
		await expect(contact.getByText(person.last)).toBeVisible();
		await expectAccessible(contact);
	}
	await school.close();

	await signIn(page, 'lead@demo.test');
	await page.goto('/programmes');
	await page.getByRole('link', { name: 'Peer Mentoring Programme' }).click();
	await page.getByRole('link', { name: 'Mentoring', exact: true }).click();
	// The newest cohort is shown first; should a later one exist, choose this year's.
	const cohortLink = page.getByRole('link', { name: `${year} to ${year + 1}`, exact: true });
	if ((await cohortLink.count()) > 0) await cohortLink.click();
	await expect(page.getByRole('heading', { name: `Cohort ${year} to ${year + 1}` })).toBeVisible();

	await page.getByLabel('Mentor', { exact: true }).selectOption({ label: `${mentor.last}, ${mentor.first} (Year 12, Astor College)` });
	await page.getByLabel('Mentee', { exact: true }).selectOption({ label: `${mentee.last}, ${mentee.first} (Year 8, Astor College)` });
	await page.getByRole('button', { name: 'Pair', exact: true }).click();
	await expect(page.getByText('Mentor and mentee paired.')).toBeVisible();
	const pairRow = page
		.getByRole('table', { name: 'Pairs' })
		.getByRole('row')
		.filter({ hasText: `${mentee.first} ${mentee.last}` });
	await expect(pairRow.getByRole('cell')).toHaveText([`${mentor.first} ${mentor.last}`, `${mentee.first} ${mentee.last} (Astor College)`, '0', '0', 'Not yet']);
	// A new pair counts from the day it was made, so it is not yet among those not met for 4 weeks.
	await expect(page.getByRole('listitem').filter({ hasText: `${mentee.first} ${mentee.last} (Astor College), mentored by` })).toHaveCount(0);
	// Once paired, the mentee is no longer offered as a mentee.
	await expect(page.getByLabel('Mentee', { exact: true }).getByRole('option', { name: new RegExp(mentee.last) })).toHaveCount(0);
	await expectAccessible(page);

	// A meeting tomorrow lasting no time at all: both refused, everything entered kept.
	const pairLabel = `${mentor.first} ${mentor.last} with ${mentee.first} ${mentee.last}`;
	const note = 'Met in the library at lunchtime.';
	await page.getByLabel('Mentor and mentee').selectOption({ label: pairLabel });
	await page.getByLabel('Date of the meeting').fill(londonDate(1));
	await page.getByLabel('How long, in minutes').fill('0');
	await page.getByLabel('Gangs', { exact: true }).check();
	await page.getByLabel('Online safety', { exact: true }).check();
	await page.getByLabel('Note (optional)').fill(note);
	await page.getByRole('button', { name: 'Log meeting' }).click();
	await expect(page).toHaveTitle(/^Error: /);
	const summary = page.locator('.govuk-error-summary');
	await expect(summary).toBeFocused();
	await expect(summary).toContainText('The date of the meeting must be today or in the past');
	await expect(summary).toContainText('Minutes must be a whole number from 5 to 600');
	await expect(page.getByLabel('Mentor and mentee').locator('option:checked')).toHaveText(pairLabel);
	await expect(page.getByLabel('Date of the meeting')).toHaveValue(londonDate(1));
	await expect(page.getByLabel('How long, in minutes')).toHaveValue('0');
	await expect(page.getByLabel('Gangs', { exact: true })).toBeChecked();
	await expect(page.getByLabel('Online safety', { exact: true })).toBeChecked();
	await expect(page.getByLabel('Wellbeing', { exact: true })).not.toBeChecked();
	await expect(page.getByLabel('Note (optional)')).toHaveValue(note);
	await expect(pairRow.getByRole('cell').nth(2)).toHaveText('0');
	await expectAccessible(page);

	await page.getByLabel('Date of the meeting').fill(londonDate(0));
	await page.getByLabel('How long, in minutes').fill('90');
	await page.getByRole('button', { name: 'Log meeting' }).click();
	await expect(page.getByText('Meeting logged.')).toBeVisible();
	const today = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }).format(
		new Date(`${londonDate(0)}T12:00:00Z`)
	);
	await expect(pairRow.getByRole('cell')).toHaveText([`${mentor.first} ${mentor.last}`, `${mentee.first} ${mentee.last} (Astor College)`, '1', '1.5', today]);
	await expectAccessible(page);
});
