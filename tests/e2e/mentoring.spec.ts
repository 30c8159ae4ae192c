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

// The first test adds the current academic year's cohort, which the second pairs in and the third
// corrects and ends: serial, so each runs only after the one before has passed.
test.describe.configure({ mode: 'serial' });

/** The pair made by the second test, which the third corrects and ends. */
let paired: { mentor: string; mentee: string } | undefined;

test('a lead opens mentoring for the Peer Mentoring Programme and adds a cohort, fixing a mistake first', async ({ page }) => {
	const year = currentAcademicYear();
	await signIn(page, 'lead@demo.test');
	await page.goto('/programmes');
	await expectAccessible(page);
	await page.getByRole('link', { name: 'Peer Mentoring Programme' }).click();
	await expectAccessible(page);
	await page.getByRole('link', { name: 'Mentoring', exact: true }).click();
	await expect(page.getByRole('heading', { name: 'Mentoring', level: 1, exact: true })).toBeVisible();
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
	await expect(page.getByRole('heading', { name: 'Mentoring', level: 1, exact: true })).toBeVisible();
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
	await expect(pairRow.getByRole('cell')).toHaveText([
		`${mentor.first} ${mentor.last}`,
		`${mentee.first} ${mentee.last} (Astor College)`,
		'0',
		'0',
		'Not yet',
		'Running',
		`Open the pair of ${mentor.first} ${mentor.last} and ${mentee.first} ${mentee.last}`
	]);
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
	await expect(pairRow.getByRole('cell')).toHaveText([
		`${mentor.first} ${mentor.last}`,
		`${mentee.first} ${mentee.last} (Astor College)`,
		'1',
		'1.5',
		today,
		'Running',
		`Open the pair of ${mentor.first} ${mentor.last} and ${mentee.first} ${mentee.last}`
	]);
	await expectAccessible(page);
	paired = { mentor: `${mentor.first} ${mentor.last}`, mentee: `${mentee.first} ${mentee.last}` };
});

test('the lead corrects the meeting, deletes a duplicate, then ends the pair with a reason, each refused first', async ({ page }) => {
	expect(paired, 'the pair made by the test before').toBeDefined();
	const { mentor, mentee } = paired!;
	await signIn(page, 'lead@demo.test');
	await page.goto('/programmes');
	await page.getByRole('link', { name: 'Peer Mentoring Programme' }).click();
	await page.getByRole('link', { name: 'Mentoring', exact: true }).click();
	await expect(page.getByRole('heading', { name: 'Mentoring', level: 1, exact: true })).toBeVisible();
	const year = currentAcademicYear();
	const cohortLink = page.getByRole('link', { name: `${year} to ${year + 1}`, exact: true });
	if ((await cohortLink.count()) > 0) await cohortLink.click();
	await expect(page.getByRole('heading', { name: `Cohort ${year} to ${year + 1}` })).toBeVisible();
	const cohortUrl = page.url();
	// Logged twice by mistake: a second meeting to delete.
	await page.getByLabel('Mentor and mentee').selectOption({ label: `${mentor} with ${mentee}` });
	await page.getByLabel('How long, in minutes').fill('30');
	await page.getByLabel('Wellbeing', { exact: true }).check();
	await page.getByRole('button', { name: 'Log meeting' }).click();
	await expect(page.getByText('Meeting logged.')).toBeVisible();

	const openPair = page.getByRole('link', { name: `Open the pair of ${mentor} and ${mentee}` });
	await openPair.focus();
	await page.keyboard.press('Enter');
	await expect(page.getByRole('heading', { level: 1, name: `${mentor} with ${mentee}` })).toBeVisible();
	await expect(page.getByTestId('pair-status')).toHaveText('Running');
	const meetings = page.getByRole('table', { name: 'Meetings' });
	await expect(meetings.locator('tbody tr')).toHaveCount(2);
	await expectAccessible(page);
	const pairUrl = page.url();

	// Correct the 90-minute meeting: no minutes first, the rest kept as typed.
	const ninety = meetings.getByRole('row').filter({ has: page.getByRole('cell', { name: '90', exact: true }) });
	await ninety.getByRole('link', { name: /^Change/ }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Change a meeting' })).toBeVisible();
	await expect(page.getByLabel('How long, in minutes')).toHaveValue('90');
	await expectAccessible(page);
	await page.getByLabel('How long, in minutes').fill('');
	await page.getByLabel('Child sexual exploitation (CSE)').check();
	await page.getByRole('button', { name: 'Save the meeting' }).click();
	await expect(page).toHaveTitle(/^Error: /);
	await expect(page.locator('.govuk-error-summary')).toBeFocused();
	await expect(page.locator('#minutes-error')).toContainText('Enter how many minutes the meeting lasted');
	await expect(page.getByLabel('Child sexual exploitation (CSE)')).toBeChecked();
	await expectAccessible(page);
	await page.getByLabel('How long, in minutes').fill('75');
	await page.getByRole('button', { name: 'Save the meeting' }).click();
	await expect(page.getByText('Meeting changed.')).toBeVisible();
	await expect(meetings.getByRole('row').filter({ has: page.getByRole('cell', { name: '75', exact: true }) })).toHaveCount(1);

	// Delete the duplicate through its confirmation page.
	await meetings
		.getByRole('row')
		.filter({ has: page.getByRole('cell', { name: '30', exact: true }) })
		.getByRole('link', { name: /^Delete/ })
		.click();
	await expect(page.getByRole('heading', { level: 1, name: /^Delete the meeting of/ })).toBeVisible();
	await expect(page.getByTestId('consequences')).toContainText('30-minute meeting');
	await expectAccessible(page);
	await page.getByRole('button', { name: 'Delete the meeting' }).click();
	await expect(page.getByText('Meeting deleted.')).toBeVisible();
	await expect(meetings.locator('tbody tr')).toHaveCount(1);

	// End the pair: no reason first.
	await page.getByRole('link', { name: 'End this pair' }).click();
	await expect(page.getByRole('heading', { level: 1, name: `End the pair of ${mentor} and ${mentee}` })).toBeVisible();
	await expect(page.getByTestId('consequences')).toContainText('1 meeting');
	await expectAccessible(page);
	await page.getByRole('button', { name: 'End the pair' }).click();
	await expect(page).toHaveTitle(/^Error: /);
	await expect(page.locator('.govuk-error-summary')).toContainText('Select why the pair is ending');
	await expectAccessible(page);
	await page.getByLabel('The mentee left the school or the programme').check();
	await page.getByRole('button', { name: 'End the pair' }).click();
	await expect(page).toHaveURL(pairUrl);
	await expect(page.getByText('Pair ended.')).toBeVisible();
	await expect(page.getByTestId('pair-status')).toContainText('the mentee left the school or the programme');
	await expect(page.getByRole('link', { name: 'End this pair' })).toHaveCount(0);
	await expectAccessible(page);

	// The ended pair keeps its meeting but is no longer offered for logging one.
	await page.goto(cohortUrl);
	await expect(page.getByRole('row').filter({ hasText: mentee }).getByRole('cell').nth(5)).toHaveText(/^Ended /);
	await expect(page.getByLabel('Mentor and mentee').getByRole('option', { name: `${mentor} with ${mentee}` })).toHaveCount(0);
});
