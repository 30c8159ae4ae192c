import { expect, test, type Browser, type Page } from '@playwright/test';
import { expectAccessible, signIn, scheduleConfirmingHolidays } from './helpers';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const STATEMENT = "I know who to tell if I'm worried about a friend online";

/** A young person's browser: nobody signed in, a phone-sized screen, and no JavaScript at all. */
async function phone(browser: Browser): Promise<Page> {
	const context = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false });
	return context.newPage();
}

/** Nothing is wider than the phone's screen, so nobody has to scroll sideways. */
async function fitsTheScreen(page: Page): Promise<void> {
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
}

/** axe needs JavaScript, so each page the young person sees is checked again in a browser with it. */
async function checkWithAxe(browser: Browser, url: string, fill?: (page: Page) => Promise<void>): Promise<void> {
	const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
	const page = await context.newPage();
	await page.goto(url);
	await fill?.(page);
	await expectAccessible(page);
	await context.close();
}

test('a lead adds a statement and opens a session code, and a young person answers before and after on /q', async ({ page, browser }) => {
	test.setTimeout(240_000);
	await signIn(page, 'lead@demo.test');

	// The lead adds a statement to the Youth Conference's question set, after a mistake.
	await page.goto('/programmes');
	await page.getByRole('link', { name: 'Youth Conference' }).click();
	await page.getByRole('link', { name: 'Before-and-after questions' }).click();
	await expect(page.getByRole('heading', { name: 'Before-and-after questions', level: 1 })).toBeVisible();
	await expectAccessible(page);
	await page.getByRole('button', { name: 'Add statement' }).click();
	await expect(page).toHaveTitle(/^Error: /);
	await expect(page.locator('.govuk-error-summary')).toBeFocused();
	await expect(page.locator('.govuk-error-summary')).toContainText('Enter the statement');
	await expectAccessible(page);
	await page.getByLabel('Statement', { exact: true }).fill(STATEMENT);
	await page.getByRole('button', { name: 'Add statement' }).click();
	await expect(page.getByText('Statement added.')).toBeVisible();
	await expect(page.getByRole('table', { name: 'Statements asked, in order' })).toContainText(STATEMENT);
	await expectAccessible(page);
	const programmePath = new URL(page.url()).pathname.replace(/\/questions$/, '');

	// A session for the test, with Astor College holding places.
	await page.goto(programmePath);
	await page.getByRole('link', { name: 'Schedule sessions' }).click();
	await page.getByLabel('Date of the first session').fill(day(21));
	await page.getByLabel('Start time').fill('09:30');
	await page.getByLabel('End time').fill('14:30');
	await page.getByLabel('Venue').fill('Outcomes Test Hall');
	await page.getByLabel('Places', { exact: true }).fill('40');
	await page.getByLabel('Booking opens').fill(day(-1));
	await page.getByLabel('Booking closes').fill(day(14));
	await scheduleConfirmingHolidays(page);
	await expect(page.getByText('Sessions scheduled.')).toBeVisible();
	const sessionPath = (await page.getByRole('row').filter({ hasText: 'Outcomes Test Hall' }).getByRole('link').getAttribute('href'))!;
	await page.goto(sessionPath);
	await page.getByRole('link', { name: 'Book for a school' }).click();
	await page.getByLabel('School', { exact: true }).selectOption({ label: 'Astor College' });
	const yearGroup = page.getByLabel('Year group');
	if ((await yearGroup.inputValue()) === '') await yearGroup.selectOption({ index: 1 });
	await page.getByLabel('Number of places').fill('30');
	await page.getByLabel('Contact on the day').fill('Sam Okafor');
	await page.getByLabel("Contact's phone number").fill('01304 872000');
	await page.getByRole('button', { name: 'Book' }).click();
	await expect(page.getByText(/confirmed/).first()).toBeVisible();

	// The lead opens a session code from the session's page.
	await page.goto(sessionPath);
	await page.getByRole('link', { name: 'Before-and-after questions' }).click();
	await expect(page.getByRole('heading', { name: 'Before-and-after questions', level: 1 })).toBeVisible();
	await expectAccessible(page);
	await expect(page.getByLabel('Keep the code open for')).toHaveValue('120');
	await page.getByRole('button', { name: 'Open a session code' }).click();
	await expect(page.getByText('Session code opened.')).toBeVisible();
	await expectAccessible(page);
	const code = (await page.locator('#session-code').textContent())!.replace(/\s/g, '');
	expect(code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}$/);

	// A young person on a phone, signed out and without JavaScript, answers "before".
	const young = await phone(browser);
	await young.goto('/q');
	await expect(young.getByRole('heading', { name: 'Answer the questions' })).toBeVisible();
	await checkWithAxe(browser, '/q');
	await young.getByLabel('Session code').fill('ZZZZZZ');
	await young.getByRole('button', { name: 'Continue' }).click();
	await expect(young.locator('.govuk-error-summary')).toContainText('There is no session with this code');
	await young.getByLabel('Session code').fill(code.toLowerCase());
	await young.getByRole('button', { name: 'Continue' }).click();
	await expect(young.getByRole('heading', { name: 'Your answers' })).toBeVisible();
	await expect(young.getByText('Youth Conference,')).toBeVisible();
	await expect(young.getByText('Outcomes Test Hall')).toHaveCount(0);
	await fitsTheScreen(young);
	// Sent with nothing filled in, the form says what is missing, beside each field.
	await young.getByRole('button', { name: 'Send my answers' }).click();
	const summary = young.locator('.govuk-error-summary');
	await expect(summary).toContainText('Enter a matching code');
	await expect(summary).toContainText('Select the school');
	await expect(summary).toContainText('Select before or after');
	await expect(summary).toContainText('Select an answer for statement 1');
	await young.getByLabel('Your matching code').fill('star7');
	await young.getByLabel('Your school').selectOption({ label: 'Astor College' });
	await young.getByRole('group', { name: 'Before or after?' }).getByLabel('Before').check();
	// The Youth Conference asks the demo's statements too: this young person answers them all.
	for (const statement of await young.getByRole('group', { name: /^\d+\. / }).all()) await statement.getByLabel('2 – Disagree').check();
	await young.getByRole('button', { name: 'Send my answers' }).click();
	await expect(young.getByRole('heading', { name: 'Answers sent' })).toBeVisible();
	await fitsTheScreen(young);
	await checkWithAxe(browser, new URL(young.url()).pathname + new URL(young.url()).search);

	// The same young person answers "after", typing their code in capitals this time.
	await young.getByRole('link', { name: 'Answer the questions again' }).click();
	await expect(young.getByLabel('Session code')).toHaveValue(code);
	await young.getByRole('button', { name: 'Continue' }).click();
	await young.getByLabel('Your matching code').fill('STAR7');
	await young.getByLabel('Your school').selectOption({ label: 'Astor College' });
	await young.getByRole('group', { name: 'Before or after?' }).getByLabel('After').check();
	for (const statement of await young.getByRole('group', { name: /^\d+\. / }).all()) await statement.getByLabel('5 – Strongly agree').check();
	await young.getByRole('button', { name: 'Send my answers' }).click();
	await expect(young.getByRole('heading', { name: 'Answers sent' })).toBeVisible();

	// The answer form and its error summary pass axe too.
	await checkWithAxe(browser, '/q', async (p) => {
		await p.getByLabel('Session code').fill(code);
		await p.getByRole('button', { name: 'Continue' }).click();
		await expect(p.getByRole('heading', { name: 'Your answers' })).toBeVisible();
		await p.getByRole('button', { name: 'Send my answers' }).click();
		await expect(p.locator('.govuk-error-summary')).toBeFocused();
	});

	// The lead sees the pair, types in a paper questionnaire, and closes the code.
	await page.reload();
	await expect(page.locator('.govuk-summary-list__row').filter({ hasText: 'Both before and after' })).toContainText('1');
	await page.getByLabel('Matching code').fill('pa9er');
	await page.getByLabel('School', { exact: true }).selectOption({ label: 'Astor College' });
	await page.getByRole('group', { name: 'Before or after?' }).getByLabel('Before').check();
	for (const statement of await page.getByRole('group', { name: /^\d+\. / }).all()) await statement.getByLabel('3 – Neither agree nor disagree').check();
	await page.getByRole('button', { name: 'Save questionnaire' }).click();
	await expect(page.getByText('Questionnaire saved.')).toBeVisible();
	await expect(page.getByLabel('School', { exact: true })).toHaveValue(/[0-9a-f-]{36}/);
	await expectAccessible(page);
	await page.getByRole('link', { name: 'Named, for an enrolled young person' }).click();
	await expectAccessible(page);
	await page.getByRole('button', { name: 'Close the code now' }).click();
	await expect(page.getByText('Session code closed.')).toBeVisible();

	// A closed code is refused with a clear message.
	await young.goto('/q');
	await young.getByLabel('Session code').fill(code);
	await young.getByRole('button', { name: 'Continue' }).click();
	await expect(young.locator('.govuk-error-summary')).toContainText('This session code has been closed');
	await young.context().close();

	// The question set shows the outcome: one pair, improved by 3.
	const [year, month] = day(21).split('-').map(Number) as [number, number];
	await page.goto(`${programmePath}/questions?year=${month >= 9 ? year : year - 1}`);
	const outcomes = page.getByRole('table', { name: /A pair is a before and an after/ });
	await expect(outcomes.getByRole('row').filter({ hasText: STATEMENT })).toContainText('1 (100%)');
	await expect(outcomes.getByRole('row').filter({ hasText: STATEMENT })).toContainText('+3.0');
	await page.getByRole('link', { name: 'Type in questionnaires not tied to a session' }).click();
	await expect(page.getByRole('heading', { name: 'Type in questionnaires not tied to a session' })).toBeVisible();
	await expectAccessible(page);

	// Two people change the statement's wording at once. It has answers, so the admin's change keeps
	// it, retired, and puts a new statement in its place; the lead's, from the page opened before,
	// is then checked against that one and refused, their wording kept, on the form for it.
	const reworded = "I know who to tell if I'm worried about a friend, online or in school";
	const mine = 'I know who to tell if a friend is in trouble online';
	await page.goto(`${programmePath}/questions`);
	await page
		.getByRole('row')
		.filter({ hasText: STATEMENT })
		.getByRole('link', { name: /Change wording/ })
		.click();
	await expect(page.locator('#newWording')).toHaveValue(STATEMENT);
	const admin = await (await browser.newContext()).newPage();
	await signIn(admin, 'admin@demo.test');
	await admin.goto(page.url());
	await admin.locator('#newWording').fill(reworded);
	await admin.getByRole('button', { name: 'Save wording' }).click();
	await expect(admin.getByText('The statement had answers, so it was kept with them as retired')).toBeVisible();
	await admin.context().close();

	await page.locator('#newWording').fill(mine);
	await page.getByRole('button', { name: 'Save wording' }).click();
	const refusal = page.locator('.govuk-error-summary');
	await expect(refusal).toBeFocused();
	await expect(refusal).toContainText('This statement was changed by someone else, after you opened this page: your changes have not been saved');
	await expect(page.locator('#newWording-error')).toContainText(`Statement: saved now as ‘${reworded}’`);
	await expect(page.locator('#newWording')).toHaveValue(mine);
	await expectAccessible(page);
	// Saved again, it changes the statement in its place, which has no answers yet: corrected in place.
	await page.getByRole('button', { name: 'Save wording' }).click();
	await expect(page.getByText('Wording changed.')).toBeVisible();
	await expect(page.getByRole('table', { name: 'Statements asked, in order' })).toContainText(mine);

	// A school contact gets a 404 for all of it.
	const contact = await (await browser.newContext()).newPage();
	await signIn(contact, 'school@demo.test');
	for (const path of [`${programmePath}/questions`, `${programmePath}/questions/enter`, `${sessionPath}/questions`]) {
		expect((await contact.goto(path))?.status(), path).toBe(404);
	}
	await contact.context().close();
});
