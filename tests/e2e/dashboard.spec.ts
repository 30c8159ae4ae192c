import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, signIn } from './helpers';

// "What needs doing" on each role's dashboard: it passes axe, every line with something waiting
// links to a page that shows as many, and a line with nothing waiting reads as done, unlinked.

interface Line {
	key: string;
	count: number;
	href: string | null;
	text: string;
	status: string;
}

async function todoLines(page: Page): Promise<Line[]> {
	await expect(page.getByRole('heading', { name: 'What needs doing' })).toBeVisible();
	return page.locator('.app-todo-list > li').evaluateAll((items) =>
		items.map((li) => {
			const link = li.querySelector('a');
			const name = (link ?? li.querySelector('.govuk-task-list__name-and-hint > span'))!.textContent!.trim();
			return {
				key: li.getAttribute('data-todo')!,
				count: link ? Number(name.split(' ')[0]!.replace(/,/g, '')) : 0,
				href: link?.getAttribute('href') ?? null,
				text: name,
				status: li.querySelector('.govuk-task-list__status')!.textContent!.trim()
			};
		})
	);
}

/** Follows each line that links, and checks the page it opens with axe and against the count. */
async function followLines(page: Page, lines: Line[], shown: (line: Line) => Promise<number>) {
	for (const line of lines) {
		if (line.count === 0) {
			expect(line.href, line.key).toBeNull();
			expect(line.status, line.key).toBe('Done');
			continue;
		}
		expect(line.status, line.key).toBe('To do');
		const response = await page.goto(line.href!);
		expect(response?.status(), line.href!).toBe(200);
		await expectAccessible(page);
		expect(await shown(line), `${line.key}: ${line.text}`).toBe(line.count);
	}
}

test("the lead's dashboard says what needs doing in their programmes, and each line opens where it is done", async ({ page }) => {
	await signIn(page, 'lead@demo.test');
	await expectAccessible(page);
	const lines = await todoLines(page);
	expect(lines.map((l) => l.key)).toEqual(['register', 'requests', 'waiting', 'mentoring', 'awards', 'places', 'questionnaires']);
	// The finished 2018-19 and 2019-20 cohorts' pairs wait for nothing: this year's cohort has none yet.
	expect(lines.find((l) => l.key === 'mentoring')).toMatchObject({ count: 0, text: 'No mentoring pairs waiting', status: 'Done' });
	// The demo's reference years each have a John Muir Award Saturday that nobody attended.
	expect(lines.find((l) => l.key === 'register')).toMatchObject({ count: 2, href: '/sessions?need=register' });
	await followLines(page, lines, async (line) => {
		if (line.href!.startsWith('/sessions?need=')) {
			await expect(page.getByRole('link', { name: 'Show all upcoming sessions' })).toBeVisible();
			return page.locator('.govuk-summary-card').count();
		}
		return line.count;
	});
	// Each session listed links to its register.
	await page.goto('/sessions?need=register');
	await page
		.getByRole('link', { name: /^Take the register/ })
		.first()
		.click();
	await expect(page).toHaveURL(/\/sessions\/[0-9a-f-]+\/register$/);
	await expectAccessible(page);
});

test("the admin's dashboard counts invitations, failed emails and schools with no contact, and links to each list filtered", async ({ page }) => {
	await signIn(page, 'admin@demo.test');
	await expectAccessible(page);
	const lines = await todoLines(page);
	expect(lines.map((l) => l.key)).toEqual(['invitations', 'expired', 'emails', 'schools']);
	expect(lines.find((l) => l.key === 'schools')!.count).toBeGreaterThan(0);
	await followLines(page, lines, async (line) => {
		if (line.key === 'schools') {
			await expect(page.getByLabel('Only schools with no active contact')).toBeChecked();
			const caption = await page.locator('caption').first().innerText();
			return Number(caption.replace(/,/g, '').match(/(\d+) schools?$/)![1]);
		}
		if (line.key === 'emails') return page.locator('.govuk-summary-card').count();
		return line.count;
	});
	// The schools with no contact do not include Astor College, whose contact is active.
	await page.goto('/schools?contact=none');
	await expect(page.getByRole('link', { name: 'Astor College' })).toHaveCount(0);
	await page.goto('/outbox?status=failed');
	await expectAccessible(page);
});

test("a school contact's dashboard counts their school's upcoming booked sessions", async ({ page }) => {
	await signIn(page, 'school@demo.test');
	await expectAccessible(page);
	const lines = await todoLines(page);
	expect(lines.map((l) => l.key)).toEqual(['booked']);
	const before = lines[0]!.count;
	// Book a session and the line counts it, linking to the school's bookings.
	await page.goto('/sessions');
	await page
		.getByRole('link', { name: /^Youth Conference/ })
		.first()
		.click();
	await page.getByRole('link', { name: /Book places|Join the waiting list/ }).click();
	await page.getByLabel('Year group').selectOption({ label: 'Year 8' });
	await page.getByLabel('Number of places').fill('2');
	await page.getByLabel("Contact's phone number").fill('01304 872000');
	await page.getByRole('button', { name: 'Book' }).click();
	await expect(page).toHaveURL(/\/bookings\/[0-9a-f-]+/);
	await page.goto('/dashboard');
	const after = await todoLines(page);
	expect(after[0]).toMatchObject({ count: before + 1, href: '/bookings', status: 'To do' });
	await followLines(page, after, async () => before + 1);
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
});

test("the viewer's dashboard stays as it was: reports, and no to-do list", async ({ page }) => {
	await signIn(page, 'viewer@demo.test');
	await expectAccessible(page);
	await expect(page.getByRole('heading', { name: 'What needs doing' })).toHaveCount(0);
	await expect(page.getByRole('link', { name: 'See the reports' })).toBeVisible();
});
