import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, signIn } from './helpers';

// Headcount and workstation registers kept on a tablet for a day without signal (issue 12), and
// a day's registers kept in one go: kept while online, counted offline, the page reloaded
// offline (the service worker serves it, IndexedDB puts the counts back), then online again:
// the queue is sent once, and the server holds each count once, its version raised once. Each
// test puts the demo's counts back as they were, so the figures other tests read stay the same.
// Past sessions used: Gang Awareness Workshops' first, Safety in Action Week's second and
// third; no other test counts at them.

interface Cell {
	schoolId: string;
	yearGroup: string;
	label: string;
	school: string;
	count: number | null;
	version: number | null;
	places: number | null;
}

async function openPastSession(page: Page, programme: string, nth: number): Promise<string> {
	await page.goto('/programmes');
	await page.getByRole('link', { name: programme }).click();
	await page.getByRole('table', { name: 'Past sessions' }).getByRole('link').nth(nth).click();
	await page.getByRole('link', { name: 'Register', exact: true }).click();
	await expect(page.getByRole('heading', { level: 1, name: /^Register for/ })).toBeVisible();
	return new URL(page.url()).pathname;
}

async function cells(page: Page, manifestUrl: string): Promise<{ startsAt: string; cells: Cell[] }> {
	const get = () => page.request.get(manifestUrl);
	// Once more when a kept-alive connection was closed under the request (after going offline and back): not an answer from the app.
	const response = await get().catch((error: unknown) => {
		if (!String(error).includes('ECONNRESET')) throw error;
		return get();
	});
	expect(response.status()).toBe(200);
	return response.json();
}

const box = (page: Page, cell: Cell) => page.locator(`input[name="count.${cell.schoolId}.${cell.yearGroup}"]`);

async function keep(page: Page): Promise<void> {
	await page.getByRole('button', { name: 'Keep this register on this device' }).click();
	await expect(page.locator('#offline-report')).toHaveText('This register is now kept on this device.');
	await expect(page.getByRole('button', { name: 'Remove it from this device' })).toBeVisible();
	await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

const keptNotice = 'Counts are kept on this device and will be sent when you are back online.';

/** Counts two boxes (or the one there is) offline, reloads offline, comes back online: the counts reach the server once. Returns how long the round trip took. */
async function countOffline(page: Page, manifestUrl: string, context: import('@playwright/test').BrowserContext) {
	const before = (await cells(page, manifestUrl)).cells;
	const chosen = before.slice(0, 2).map((cell) => {
		const most = cell.places ?? 500;
		const count = cell.count === null ? Math.min(1, most) : cell.count > 0 ? cell.count - 1 : Math.min(1, most);
		return { cell, count };
	});
	expect(chosen.length).toBeGreaterThan(0);
	const waiting = chosen.length === 1 ? '1 count is waiting to be sent.' : `${chosen.length} counts are waiting to be sent.`;
	const sent = chosen.length === 1 ? '1 count sent.' : `${chosen.length} counts sent.`;
	await keep(page);

	await context.setOffline(true);
	await expect(page.locator('#offline-live')).toContainText(keptNotice);
	for (const { cell, count } of chosen) await box(page, cell).fill(String(count));
	await box(page, chosen[0]!.cell).press('Tab');
	await page.locator('body').click();
	await expect(page.locator('#offline-live')).toHaveText(`${keptNotice} ${waiting}`);
	await expectAccessible(page);

	await page.reload();
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	await expect(page.locator('#offline-live')).toHaveText(`${keptNotice} ${waiting}`);
	for (const { cell, count } of chosen) await expect(box(page, cell)).toHaveValue(String(count));
	await expectAccessible(page);

	const started = Date.now();
	await context.setOffline(false);
	await expect(page.locator('#offline-report')).toContainText(sent);
	const roundTrip = Date.now() - started;
	await expect(page.locator('#offline-live')).toHaveText('');

	const after = new Map((await cells(page, manifestUrl)).cells.map((c) => [`${c.schoolId}.${c.yearGroup}`, c]));
	for (const { cell, count } of chosen) {
		expect(after.get(`${cell.schoolId}.${cell.yearGroup}`), cell.label).toMatchObject({ count, version: (cell.version ?? 0) + 1 });
	}
	// Reloaded online, nothing is left to send and the server's versions stay as they are.
	await page.reload();
	for (const { cell, count } of chosen) await expect(box(page, cell)).toHaveValue(String(count));
	await expect(page.locator('#offline-live')).toHaveText('');
	expect((await cells(page, manifestUrl)).cells.map((c) => c.version)).toEqual([...after.values()].map((c) => c.version));
	return { chosen, roundTrip };
}

/**
 * The demo's counts as they were, sent from the page as a kept register sends them (online: at
 * once). They are typed while the page, just opened, is still downloading the register again:
 * the download finishing afterwards leaves the typed counts in their boxes.
 */
async function putBack(page: Page, chosen: { cell: Cell }[], manifestUrl: string) {
	const restored = chosen.filter(({ cell }) => cell.count !== null);
	if (restored.length === 0) return;
	let release = () => {};
	const held = new Promise<void>((resolve) => (release = resolve));
	let asked = false;
	await page.route(`**${manifestUrl}`, async (route) => {
		asked = true;
		await held;
		await route.continue();
	});
	await page.reload();
	// Only the page's script shows this button, once it has found the register kept: clicked
	// before then, "Save" posts the form as a page without scripts would, and nothing is sent.
	await expect(page.getByRole('button', { name: 'Remove it from this device' })).toBeVisible();
	await expect.poll(() => asked).toBe(true);
	for (const { cell } of restored) await box(page, cell).fill(String(cell.count));
	await expect(page.locator('form#counts')).toHaveAttribute('aria-busy', 'true');
	release();
	await expect(page.locator('form#counts')).not.toHaveAttribute('aria-busy');
	await page.unroute(`**${manifestUrl}`);
	for (const { cell } of restored) await expect(box(page, cell)).toHaveValue(String(cell.count));
	await page.locator('form#counts button[type="submit"]').click();
	await expect(page.locator('#offline-report')).toContainText(`${restored.length} ${restored.length === 1 ? 'count' : 'counts'} sent.`);
}

test('a lead counts a kept headcount register offline, a wrong count is named, and the counts reach the server once', async ({ page, context }) => {
	await signIn(page, 'lead@demo.test');
	const registerUrl = await openPastSession(page, 'Gang Awareness Workshops', 0);
	const manifestUrl = `${registerUrl}/counts/manifest.json`;
	const first = (await cells(page, manifestUrl)).cells[0]!;

	// Offline, a count that is not a whole number is named in an error summary and not kept.
	await keep(page);
	await context.setOffline(true);
	await box(page, first).fill('ten');
	await page.getByRole('button', { name: 'Save headcounts' }).click();
	await expect(page.getByRole('alert')).toContainText(/Enter .* as a whole number, like 12/);
	await expectAccessible(page);
	await box(page, first).fill(String(first.count ?? ''));
	await context.setOffline(false);
	await page.getByRole('button', { name: 'Remove it from this device' }).click();
	await expect(page.getByRole('button', { name: 'Keep this register on this device' })).toBeVisible();

	const { chosen } = await countOffline(page, manifestUrl, context);
	await putBack(page, chosen, manifestUrl);
});

test('a lead counts a kept workstation register offline and the counts reach the server once; the round trip is measured', async ({ page, context }) => {
	await signIn(page, 'lead@demo.test');
	await openPastSession(page, 'Safety in Action Week', 1);
	await page.getByRole('table').filter({ hasText: 'Workstation' }).getByRole('link').first().click();
	await expect(page.getByRole('heading', { level: 1, name: /^Register for the .* workstation$/ })).toBeVisible();
	const stationUrl = new URL(page.url()).pathname;

	const { chosen, roundTrip } = await countOffline(page, `${stationUrl}/manifest.json`, context);
	console.log(
		`offline round trip (workstation register): back online to "${chosen.length} ${chosen.length === 1 ? 'count' : 'counts'} sent." (sent, then downloaded again) in ${roundTrip} ms`
	);
	await putBack(page, chosen, `${stationUrl}/manifest.json`);
	// Sent from the page without reloading it: how many came through is what the server now holds.
	const held = (await cells(page, `${stationUrl}/manifest.json`)).cells.reduce((total, cell) => total + (cell.count ?? 0), 0);
	await expect(page.locator('#counted-so-far')).toHaveText(`${held} ${held === 1 ? 'young person' : 'young people'} counted here so far.`);
});

test('a lead keeps a day’s registers in one go, opens one offline, they go after 7 days and when signing out', async ({ page, context }) => {
	await signIn(page, 'lead@demo.test');
	const registerUrl = await openPastSession(page, 'Safety in Action Week', 1);
	const { startsAt } = await cells(page, `${registerUrl}/counts/manifest.json`);
	const day = new Date(startsAt).toLocaleDateString('en-CA', { timeZone: 'Europe/London' });

	await page.goto('/sessions');
	await page.getByRole('link', { name: 'Take today’s registers with you' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Today’s registers' })).toBeVisible();
	await expectAccessible(page);
	// A day that does not exist: the error summary and the message beside the field, the value kept.
	await page.getByRole('textbox', { name: 'Day' }).fill('2019-02-29');
	await page.getByRole('button', { name: 'Show registers' }).click();
	await expect(page).toHaveTitle(/^Error: /);
	await expect(page.locator('.govuk-error-summary')).toContainText(/^There is a problem\s*Enter a real date as year, month and day, like \d{4}-\d\d-\d\d$/);
	await expect(page.locator('.govuk-error-summary')).toBeFocused();
	await expect(page.locator('#day-error')).toContainText('Enter a real date');
	await expect(page.getByRole('textbox', { name: 'Day' })).toHaveValue('2019-02-29');
	await expectAccessible(page);
	await page.getByRole('textbox', { name: 'Day' }).fill(day);
	await page.getByRole('button', { name: 'Show registers' }).click();
	await expect(page.getByRole('heading', { level: 1, name: /^Registers for / })).toBeVisible();
	const rows = page.locator('#day-registers tbody tr');
	const total = await rows.count();
	// Safety in Action Week's session: its own headcount and one register per workstation.
	expect(total).toBeGreaterThanOrEqual(9);
	await expect(page.getByRole('heading', { name: 'Kept on this device' })).toBeVisible();
	await expect(page.locator('#kept-none')).toBeVisible();

	await page.getByRole('button', { name: `Keep these ${total} registers on this device` }).click();
	await expect(page.locator('#offline-report')).toContainText(`${total} registers are now kept on this device.`);
	await expect(rows.locator('[data-kept]', { hasText: /^Kept$/ })).toHaveCount(total);
	await expect(page.locator('#kept-list li')).toHaveCount(total);
	await expectAccessible(page);
	await page.waitForFunction(() => navigator.serviceWorker.controller !== null);

	// Without signal, the day's page and a workstation's register open from the device.
	const station = rows.filter({ hasText: 'workstation' }).first().getByRole('link');
	const stationPath = await station.getAttribute('href');
	await context.setOffline(true);
	await page.goto('/sessions/today');
	await expect(page.locator('#kept-list li')).toHaveCount(total);
	await page.goto(stationPath!);
	await expect(page.locator('#offline-state')).toContainText('This register is kept on this device until');
	await expect(page.locator('#offline-live')).toContainText(keptNotice);
	await expectAccessible(page);
	await context.setOffline(false);

	const stored = () =>
		page.evaluate(async () => ({
			databases: (await indexedDB.databases()).map((d) => d.name),
			// The registers' pages; the day's list of them holds no names and stays until signing out.
			pages: (await (await caches.open('registers')).keys()).filter((r) => !new URL(r.url).pathname.startsWith('/sessions/today')).length,
			workers: (await navigator.serviceWorker.getRegistrations()).length
		}));
	// Kept 8 days ago: opening the page removes them, and their pages.
	await page.goto('/sessions/today');
	await expect(page.locator('#kept-list li')).toHaveCount(total);
	await page.evaluate(
		() =>
			new Promise<void>((resolve, reject) => {
				const open = indexedDB.open('registers');
				open.onsuccess = () => {
					const t = open.result.transaction('registers', 'readwrite');
					const registers = t.objectStore('registers');
					const all = registers.getAll();
					all.onsuccess = () => {
						for (const kept of all.result) registers.put({ ...kept, keptAt: Date.now() - 8 * 86_400_000 });
					};
					t.oncomplete = () => (open.result.close(), resolve());
					t.onerror = () => reject(t.error);
				};
			})
	);
	await page.goto(`/sessions/today?day=${day}`);
	await expect(page.locator('#kept-none')).toBeVisible();
	await expect(page.locator('#kept-list li')).toHaveCount(0);
	await expect(rows.locator('[data-kept]', { hasText: /^Kept$/ })).toHaveCount(0);
	expect((await stored()).pages).toBe(0);

	// Kept again, then signing out clears the device.
	await page.getByRole('button', { name: `Keep these ${total} registers on this device` }).click();
	await expect(page.locator('#offline-report')).toContainText(`${total} registers are now kept on this device.`);
	expect(await stored()).toMatchObject({ databases: ['registers'], workers: 1 });
	expect((await stored()).pages).toBe(total);
	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page).toHaveURL(/\/sign-in/);
	expect(await page.evaluate(async () => ({ databases: (await indexedDB.databases()).map((d) => d.name), caches: await caches.keys() }))).toEqual({
		databases: [],
		caches: []
	});
	expect((await stored()).workers).toBe(0);
});

test('a count someone else changed first comes back as a conflict: keep theirs or use yours', async ({ page, context, browser }) => {
	await signIn(page, 'lead@demo.test');
	await openPastSession(page, 'Safety in Action Week', 2);
	await page.getByRole('table').filter({ hasText: 'Workstation' }).getByRole('link').first().click();
	await expect(page.getByRole('heading', { level: 1, name: /^Register for the .* workstation$/ })).toBeVisible();
	const stationUrl = new URL(page.url()).pathname;
	const cell = (await cells(page, `${stationUrl}/manifest.json`)).cells[0]!;
	const places = cell.places ?? 0;
	expect(places, 'the first school at this slot holds at least 2 places').toBeGreaterThanOrEqual(2);
	const [mine, theirs] = cell.count === places ? [places - 1, places - 2] : cell.count === places - 1 ? [places, places - 2] : [places, places - 1];
	await keep(page);

	await context.setOffline(true);
	await box(page, cell).fill(String(mine));
	await page.locator('body').click();
	await expect(page.locator('#offline-live')).toHaveText(`${keptNotice} 1 count is waiting to be sent.`);
	// Meanwhile, at the office, an admin saves another count for the same school.
	const admin = await (await browser.newContext()).newPage();
	await signIn(admin, 'admin@demo.test');
	await admin.goto(stationUrl);
	await box(admin, cell).fill(String(theirs));
	await admin.locator('form#counts button[type="submit"]').click();
	await expect(admin.getByText(/counts? saved/)).toBeVisible();

	await context.setOffline(false);
	const conflicts = page.getByRole('region', { name: 'Important' });
	await expect(conflicts).toContainText('1 count was changed by someone else before yours arrived');
	await expect(conflicts).toContainText(new RegExp(`Alex Admin counted ${theirs} for ${cell.label} from .* at \\d\\d:\\d\\d; you counted ${mine}\\.`));
	await expect(box(page, cell)).toHaveValue(String(theirs));
	await expectAccessible(page);
	await conflicts.getByRole('button', { name: /^Use yours for / }).click();
	await expect(page.locator('#offline-report')).toContainText('1 count sent.');
	await expect(box(page, cell)).toHaveValue(String(mine));
	expect((await cells(page, `${stationUrl}/manifest.json`)).cells[0]).toMatchObject({ count: mine, version: (cell.version ?? 0) + 2 });

	// Put the demo's count back.
	await putBack(page, [{ cell }], `${stationUrl}/manifest.json`);
});
