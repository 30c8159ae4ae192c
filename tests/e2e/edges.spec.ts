import { expect, test } from '@playwright/test';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join, relative } from 'node:path';
import { E2E_PORT } from '../support/e2e-env';
import { expectAccessible, signIn } from './helpers';

const ORIGIN = `http://localhost:${E2E_PORT}`;
const MB = 1024 * 1024;

/**
 * An anonymous form post of `bytes` to /sign-in, written as fast as the server takes it: its
 * status and time to answer. The server answers 413 before reading the body and Node then closes
 * the connection, so a client still writing may meet the closed connection (EPIPE or a reset)
 * before it reads the answer: a race of the client's, which a browser settles by reading the
 * answer anyway. Node's client reports the EPIPE first and may still read the answer after it:
 * it is waited for a moment; a post that meets the race and no answer is sent again, up to 3
 * times in all.
 */
async function bigPost(bytes: number, tries = 3): Promise<{ status: number; ms: number; body: string }> {
	try {
		return await postOnce(bytes);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if ((code !== 'EPIPE' && code !== 'ECONNRESET') || tries <= 1) throw error;
		return bigPost(bytes, tries - 1);
	}
}

function postOnce(bytes: number): Promise<{ status: number; ms: number; body: string }> {
	const started = performance.now();
	const chunk = Buffer.alloc(64 * 1024, 'a');
	return new Promise((done, fail) => {
		let answered = false;
		const req = httpRequest(
			`${ORIGIN}/sign-in`,
			{
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(bytes), origin: ORIGIN, accept: 'text/html' }
			},
			(res) => {
				answered = true;
				const parts: Buffer[] = [];
				res.on('data', (part: Buffer) => parts.push(part));
				res.on('end', () => {
					done({ status: res.statusCode ?? 0, ms: performance.now() - started, body: Buffer.concat(parts).toString('utf8') });
					req.destroy();
				});
			}
		);
		req.on('error', (error) => {
			if (answered) return;
			// The answer may already be on its way: wait for it a moment before giving up.
			if ((error as NodeJS.ErrnoException).code === 'EPIPE') setTimeout(() => answered || fail(error), 2000);
			else fail(error);
		});
		let left = bytes;
		const pump = () => {
			while (left > 0 && !req.destroyed) {
				const part = left >= chunk.length ? chunk : chunk.subarray(0, left);
				left -= part.length;
				if (!req.write(part)) return void req.once('drain', pump);
			}
			if (!req.destroyed) req.end();
		};
		pump();
	});
}

test.describe('body size', () => {
	test('a 10 MB anonymous form post is refused with 413 and the "too big" page, quickly, six at once', async () => {
		const answers = await Promise.all(Array.from({ length: 6 }, () => bigPost(10 * MB)));
		for (const answer of answers) {
			expect(answer.status).toBe(413);
			expect(answer.body).toContain('The form is too big');
			expect(answer.ms).toBeLessThan(5000);
		}
	});

	test('a school contact uploads a 1.5 MB class list to the import and it is read', async ({ page }) => {
		await signIn(page, 'school@demo.test');
		await page.goto('/young-people/import');
		let csv = 'first_name,last_name,date_of_birth,year_group\n';
		for (let i = 0; csv.length < 1.5 * MB; i++) csv += `Pupil${i},Surname${i},2012-09-01,7\n`;
		await page.getByLabel('Upload a CSV file').setInputFiles({ name: 'class.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
		const answer = page.waitForResponse((r) => r.request().method() === 'POST');
		await page.getByRole('button', { name: 'Check the file' }).click();
		expect((await answer).status()).toBeLessThan(413);
		await expect(page.getByText('too big')).toHaveCount(0);
	});
});

/** Every route under src/routes as its id, with the form actions of its page. */
function routes(): { id: string; actions: string[] }[] {
	const root = 'src/routes';
	const found: { id: string; actions: string[] }[] = [];
	const walk = (dir: string) => {
		const entries = readdirSync(dir);
		const id = `/${relative(root, dir)}`.replace(/\/$/, '') || '/';
		if (entries.some((e) => e === '+page.svelte' || e === '+server.ts')) {
			const server = entries.includes('+page.server.ts') ? readFileSync(join(dir, '+page.server.ts'), 'utf8') : '';
			const block = server.split('export const actions')[1] ?? '';
			found.push({ id, actions: [...block.matchAll(/^\t(\w+): async/gm)].map((m) => m[1]!) });
		}
		for (const entry of entries) if (statSync(join(dir, entry)).isDirectory()) walk(join(dir, entry));
	};
	walk(root);
	return found;
}

/** A route's address with each parameter as `value`. */
const withParams = (id: string, value: string) => id.replace(/\[[^\]]+\]/g, value);

for (const who of ['anonymous', 'admin@demo.test', 'school@demo.test']) {
	test(`every route answers odd input without a 500 (${who}): huge page numbers, NUL bytes, malformed multipart`, async ({ page }) => {
		test.setTimeout(240_000);
		if (who !== 'anonymous') await signIn(page, who);
		const request = page.request;
		const problems: string[] = [];
		const check = (what: string, status: number, body: string) => {
			if (status >= 500) problems.push(`${what}: ${status}`);
			if (/\bat [\w.<>]+ \(|node_modules|\.ts:\d+/.test(body)) problems.push(`${what}: a stack trace in the answer`);
		};
		for (const route of routes()) {
			if (route.id === '/sign-out') continue;
			const addresses = [
				`${withParams(route.id, '00000000-0000-4000-8000-000000000000')}?page=99999999999999999999&search=%00&from=%00&view=%00`,
				withParams(route.id, '%00'),
				withParams(route.id, 'abc%00def'),
				`${withParams(route.id, '00000000-0000-4000-8000-000000000000')}?page=-1&year=99999999999999999999&period=%00`
			];
			for (const address of addresses) {
				const answer = await request.get(address, { maxRedirects: 0 });
				check(`GET ${address}`, answer.status(), await answer.text());
			}
			for (const action of route.actions) {
				const target = `${withParams(route.id, '00000000-0000-4000-8000-000000000000')}${action === 'default' ? '' : `?/${action}`}`;
				const malformed = await request.post(target, {
					headers: { origin: ORIGIN, 'content-type': 'multipart/form-data; boundary=XYZ', accept: 'text/html' },
					data: '--XYZ\r\nContent-Disposition: form-data; name="a"\r\n\r\nno end',
					maxRedirects: 0
				});
				check(`POST ${target} (malformed multipart)`, malformed.status(), await malformed.text());
				const nul = await request.post(target, {
					headers: { origin: ORIGIN, accept: 'text/html' },
					form: { email: 'a\0b@example.org', name: 'a\0b', csv: 'a\0b', password: 'x\0', id: '\0', schoolId: '\0', page: '99999999999999999999' },
					maxRedirects: 0
				});
				check(`POST ${target} (NUL)`, nul.status(), await nul.text());
			}
		}
		expect(problems).toEqual([]);
	});
}

test('a notice written into the address is never shown', async ({ page }) => {
	const text = 'Your account is suspended call 0900 000 000';
	await page.goto(`/sign-in?notice=${encodeURIComponent(text)}`);
	await expect(page.getByText(text)).toHaveCount(0);
	await signIn(page, 'admin@demo.test');
	for (const path of ['/dashboard', '/users', '/schools', '/programmes', '/young-people', '/sessions']) {
		await page.goto(`${path}?notice=${encodeURIComponent(text)}`);
		await expect(page.getByText(text), path).toHaveCount(0);
	}
});

test('a success banner comes from the server once, and not again on reload', async ({ page }) => {
	await signIn(page, 'admin@demo.test');
	await page.goto('/users');
	await page.locator('tbody a').first().click();
	await page.getByRole('button', { name: 'Save changes' }).click();
	const banner = page.locator('.govuk-notification-banner--success');
	await expect(banner).toBeVisible();
	await expectAccessible(page);
	await page.reload();
	await expect(banner).toHaveCount(0);
});

test('report pages are served with hashes, not a nonce a kept page would repeat, and break no CSP rule', async ({ page }) => {
	const violations: string[] = [];
	page.on('console', (message) => {
		if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
	});
	await signIn(page, 'viewer@demo.test');
	const policies: string[] = [];
	for (let i = 0; i < 2; i++) {
		const response = await page.goto('/reports');
		expect(response?.status()).toBe(200);
		policies.push((await response!.allHeaders())['content-security-policy'] ?? '');
	}
	// The overview is rendered on the server only: no inline script at all, and its one script, which draws the charts, is a file of this site.
	await expect(page.locator('canvas').first()).toBeVisible();
	expect(
		await page
			.locator('script')
			.evaluateAll((scripts) => scripts.map((s) => ((s as HTMLScriptElement).src ? new URL((s as HTMLScriptElement).src).origin : 'inline')))
	).toEqual([new URL(page.url()).origin]);
	for (const policy of policies) expect(policy).toMatch(/script-src 'self';/);
	// A kept report page that SvelteKit hydrates has its inline script hashed.
	const programme = await page.getByRole('link', { name: 'Youth Conference' }).first().getAttribute('href');
	const response = await page.goto(programme!);
	expect(response?.status()).toBe(200);
	const programmeUrl = page.url();
	policies.push((await response!.allHeaders())['content-security-policy'] ?? '');
	expect(policies.at(-1)).toMatch(/script-src 'self' 'sha256-/);
	for (const policy of policies) {
		expect(policy).not.toContain('nonce-');
		expect(policy).not.toMatch(/script-src [^;]*unsafe-inline/);
		expect(policy).not.toMatch(/style-src [^;]*unsafe-inline/);
	}
	// Navigating in the page (the route announcer, charts) breaks no rule either. Each way is
	// waited for until its page is drawn: a violation comes as the page draws, and closing the
	// browser while SvelteKit was still navigating back hung Chromium's close (1 run in 6 here).
	await page.getByRole('link', { name: 'Dashboard' }).first().click();
	await expect(page).toHaveURL(/\/dashboard$/);
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	await page.goBack();
	await expect(page).toHaveURL(programmeUrl);
	await expect(page.getByRole('heading', { level: 1, name: 'Youth Conference' })).toBeVisible();
	await page.waitForLoadState('networkidle');
	expect(violations).toEqual([]);
});
