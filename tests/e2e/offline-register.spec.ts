import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, signIn } from './helpers';

// A register kept on a tablet for a day without signal (issue 12): kept while online, marked
// offline, the page reloaded offline (the service worker serves it, IndexedDB puts the marks
// back), then online again: the queue is sent once, and the server holds each mark once.

/**
 * Opens a past session's register of a programme from its page, as a lead finds it. The arts
 * project's first two past sessions belong to register-keyboard.spec.ts: these tests mark others.
 */
async function openRegister(page: Page, programme: string, nth: number): Promise<string> {
	await page.goto('/programmes');
	await page.getByRole('link', { name: programme }).click();
	await page.getByRole('table', { name: 'Past sessions' }).getByRole('link').nth(nth).click();
	await page.getByRole('link', { name: 'Register', exact: true }).click();
	await expect(page.getByRole('heading', { level: 1, name: /^Register for/ })).toBeVisible();
	// A register of 300 is parsed as it streams: the heading shows before the last school's rows are in.
	await page.waitForLoadState('load');
	return new URL(page.url()).pathname;
}

interface ManifestRow {
	id: string;
	name: string;
	status: string | null;
	version: number | null;
}

async function manifest(page: Page, registerUrl: string): Promise<{ rows: ManifestRow[] }> {
	const get = () => page.request.get(`${registerUrl}/manifest.json`);
	// Once more when a kept-alive connection was closed under the request (after going offline and back): not an answer from the app.
	const response = await get().catch((error: unknown) => {
		if (!String(error).includes('ECONNRESET')) throw error;
		return get();
	});
	expect(response.status()).toBe(200);
	return response.json();
}

const rowNames = async (page: Page) => (await page.locator('form#register tbody th').allTextContents()).map((n) => n.trim());
const mark = (page: Page, name: string) => page.getByRole('combobox', { name, exact: true });
const keptNotice = 'Marks are kept on this device and will be sent when you are back online.';

async function keep(page: Page): Promise<void> {
	await expect(page.getByRole('button', { name: 'Remove it from this device' })).toBeHidden();
	await page.getByRole('button', { name: 'Keep this register on this device' }).click();
	await expect(page.locator('#offline-report')).toHaveText('This register is now kept on this device.');
	await expect(page.getByRole('button', { name: 'Remove it from this device' })).toBeVisible();
	// The service worker controls the page from now on, so a reload without signal reaches it.
	await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

test('a lead marks a kept register offline, reloads it offline, and the marks reach the server once when the connection returns', async ({ page, context }) => {
	await signIn(page, 'lead@demo.test');
	const registerUrl = await openRegister(page, 'Dover Smart Arts Project', 3);
	const before = new Map((await manifest(page, registerUrl)).rows.map((r) => [r.name, r]));
	await keep(page);

	await context.setOffline(true);
	await expect(page.locator('#offline-live')).toContainText(keptNotice);
	const names = (await rowNames(page)).slice(0, 3);
	const chosen: Record<string, { label: string; status: string }> = {
		[names[0]!]: { label: 'Late', status: 'late' },
		[names[1]!]: { label: 'Absent (authorised)', status: 'absent_authorised' },
		[names[2]!]: { label: 'Left early', status: 'left_early' }
	};
	for (const [name, { label }] of Object.entries(chosen)) await mark(page, name).selectOption({ label });
	await expect(page.locator('#offline-live')).toHaveText(`${keptNotice} 3 marks are waiting to be sent.`);
	await expectAccessible(page);

	// Reloaded without signal: the kept page, with the marks made on the device.
	await page.reload();
	await expect(page.getByRole('heading', { level: 1, name: /^Register for/ })).toBeVisible();
	await expect(page.locator('#offline-live')).toHaveText(`${keptNotice} 3 marks are waiting to be sent.`);
	for (const [name, { label }] of Object.entries(chosen)) await expect(mark(page, name).locator('option:checked')).toHaveText(label);
	await expectAccessible(page);

	await context.setOffline(false);
	await expect(page.locator('#offline-report')).toContainText('3 marks sent.');
	await expect(page.locator('#offline-live')).toHaveText('');

	// On the server: each mark as chosen, its version raised exactly once.
	const after = new Map((await manifest(page, registerUrl)).rows.map((r) => [r.name, r]));
	for (const [name, { status }] of Object.entries(chosen)) {
		const was = before.get(name)!;
		expect(after.get(name), name).toMatchObject({ status, version: (was.version ?? 0) + 1 });
	}
	// Reloaded online, the register shows them as saved; nothing is left to send.
	await page.reload();
	for (const [name, { label }] of Object.entries(chosen)) await expect(mark(page, name).locator('option:checked')).toHaveText(label);
	await expect(page.locator('#offline-live')).toHaveText('');
	expect(new Map((await manifest(page, registerUrl)).rows.map((r) => [r.name, r.version]))).toEqual(new Map([...after].map(([n, r]) => [n, r.version])));
});

test('a change someone else made first comes back as a conflict, and signing out clears the device', async ({ page, context, browser }) => {
	await signIn(page, 'lead@demo.test');
	const registerUrl = await openRegister(page, 'Dover Smart Arts Project', 4);
	await keep(page);
	// Someone marked present: the lead changes it to absent, the admin to late.
	const present = (await manifest(page, registerUrl)).rows.filter((r) => r.status === 'present');
	const name = present.at(-1)!.name;

	await context.setOffline(true);
	await mark(page, name).selectOption({ label: 'Absent (reason unknown)' });
	// Meanwhile, at the office, an admin marks the same young person present.
	const admin = await (await browser.newContext()).newPage();
	await signIn(admin, 'admin@demo.test');
	await admin.goto(registerUrl);
	await mark(admin, name).selectOption({ label: 'Late' });
	await admin.getByRole('button', { name: 'Save register' }).click();
	await expect(admin.getByText(/marks? saved/)).toBeVisible();

	await context.setOffline(false);
	const conflicts = page.getByRole('region', { name: 'Important' });
	await expect(conflicts).toContainText('changed by someone else before yours arrived');
	await expect(conflicts).toContainText(/marked .* late at \d\d:\d\d; you chose absent \(reason unknown\)/);
	await expect(mark(page, name).locator('option:checked')).toHaveText('Late');
	await expectAccessible(page);
	await conflicts.getByRole('button', { name: /^Use yours for / }).click();
	await expect(page.locator('#offline-report')).toContainText('1 mark sent.');
	expect((await manifest(page, registerUrl)).rows.find((r) => r.name === name)).toMatchObject({ status: 'absent_unknown' });

	const stored = () =>
		page.evaluate(async () => ({
			databases: (await indexedDB.databases()).map((d) => d.name),
			caches: await caches.keys(),
			workers: (await navigator.serviceWorker.getRegistrations()).length
		}));
	expect(await stored()).toMatchObject({ databases: ['registers'], workers: 1 });
	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page).toHaveURL(/\/sign-in/);
	expect(await stored()).toEqual({ databases: [], caches: [], workers: 0 });
});

test('the offline round trip for 50 marks on the largest register, and the size of its manifest', async ({ page, context }) => {
	await signIn(page, 'lead@demo.test');
	const registerUrl = await openRegister(page, 'Peer Mentoring Programme', 0);
	await keep(page);
	const sizes = await page.evaluate(async (url) => {
		const response = await fetch(`${url}/manifest.json`);
		const text = await response.text();
		const entry = performance.getEntriesByType('resource').findLast((e) => e.name.endsWith('/manifest.json')) as PerformanceResourceTiming | undefined;
		return { rows: JSON.parse(text).rows.length as number, bytes: text.length, transferred: entry?.transferSize ?? -1 };
	}, registerUrl);

	await context.setOffline(true);
	const selects = page.locator('form#register tbody select');
	// 50 changes: absent (unauthorised), or present for those already so.
	for (let i = 0; i < 50; i++) await selects.nth(i).selectOption((await selects.nth(i).inputValue()) === 'u' ? 'p' : 'u');
	await expect(page.locator('#offline-live')).toContainText('50 marks are waiting to be sent.');
	const started = Date.now();
	await context.setOffline(false);
	await expect(page.locator('#offline-report')).toContainText('50 marks sent.');
	const roundTrip = Date.now() - started;
	console.log(
		`offline round trip: 50 marks sent and the register downloaded again in ${roundTrip} ms; manifest of ${sizes.rows} rows: ${sizes.bytes} bytes, ${sizes.transferred} transferred`
	);
	expect(sizes.rows).toBeGreaterThan(250);
	expect(roundTrip).toBeLessThan(10_000);
});

test('changes sent to the register from another site, or with no Origin, are refused as cross-site form posts are', async ({ page }) => {
	await signIn(page, 'lead@demo.test');
	const registerUrl = await openRegister(page, 'Dover Smart Arts Project', 3);
	const row = (await manifest(page, registerUrl)).rows[0]!;
	const data = {
		changes: [{ clientId: crypto.randomUUID(), youngPersonId: row.id, status: row.status === 'late' ? 'present' : 'late', basedOn: row.version }]
	};

	for (const headers of [{ origin: 'https://elsewhere.example' }, {}] as Record<string, string>[]) {
		const response = await page.request.post(`${registerUrl}/sync`, { data, headers: { ...headers, accept: 'application/json' } });
		expect(response.status()).toBe(403);
		expect(await response.json()).toEqual({ message: 'Cross-site POST form submissions are forbidden' });
	}
	expect((await manifest(page, registerUrl)).rows[0]).toEqual(row);
	// From the page itself (its own Origin), the same change is saved.
	const sent = await page.evaluate(
		async ([url, body]) => (await fetch(`${url}/sync`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json(),
		[registerUrl, data] as const
	);
	expect(sent).toMatchObject({ ok: true, sent: 1 });
});

test('on a register of several schools, choosing a school shows its table alone, and the others take no room', async ({ page }) => {
	await signIn(page, 'lead@demo.test');
	await openRegister(page, 'Peer Mentoring Programme', 0);
	const schools = page.locator('.app-register-school');
	const count = await schools.count();
	expect(count).toBeGreaterThan(1);
	const everyone = await page.locator('form#register tbody tr').count();
	const tallest = await page.evaluate(() => document.documentElement.scrollHeight);

	const school = page.getByLabel('School');
	const second = (await school.locator('option').nth(2).textContent())!.trim();
	await school.selectOption({ label: second });
	await expect(schools.filter({ visible: true })).toHaveCount(1);
	await expect(page.getByRole('table', { name: new RegExp(`^${second.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) })).toBeVisible();
	const shown = await page.locator('form#register tbody tr:visible').count();
	expect(shown).toBeLessThan(everyone);
	await expect(page.locator('#register-showing')).toHaveText(`Showing ${shown} of ${everyone.toLocaleString('en-GB')} young people.`);
	// The schools filtered away hold no space, laid out or not.
	expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThan(tallest / 2);
	await expectAccessible(page);

	await school.selectOption({ label: 'All schools' });
	await expect(schools.filter({ visible: true })).toHaveCount(count);
	await expect(page.locator('#register-showing')).toHaveText('');
});
