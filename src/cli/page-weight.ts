// `npm run page-weight -- [--as EMAIL] [--files] [URL...]`: the JavaScript and CSS a first visit
// to each page downloads (a chart's lazily loaded code included), gzipped, and with --files each
// script's share, measured in Chromium against a running app (default
// http://localhost:3000/sign-in). With --as, it signs in first (password PAGE_WEIGHT_PASSWORD,
// default the demo's; a demo admin, lead or viewer also gives the code of their demo second
// factor) without loading any page, so nothing is cached before the measured visit.
import { chromium } from '@playwright/test';
import { DEMO_SECOND_FACTOR_EMAILS, demoTotpKey } from '../lib/server/demo/demo-second-factor';
import { totpCode } from '../lib/server/auth/totp';
import { existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const args = process.argv.slice(2);
const asIndex = args.indexOf('--as');
const email = asIndex >= 0 ? args[asIndex + 1] : undefined;
const perFile = args.includes('--files');
const urls = args.filter((a, i) => !a.startsWith('--') && !(asIndex >= 0 && i === asIndex + 1));
if (urls.length === 0) urls.push('http://localhost:3000/sign-in');
const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const browser = await chromium.launch({
	executablePath: existsSync(executablePath) ? executablePath : undefined,
	args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking']
});
try {
	// Signed in once, by requests only; each page is then visited in a fresh context with the cookies.
	let signedIn: Awaited<ReturnType<import('@playwright/test').BrowserContext['storageState']>> | undefined;
	if (email) {
		const context = await browser.newContext();
		const origin = new URL(urls[0]!).origin;
		await context.request.post(`${origin}/sign-in`, {
			form: { email, password: process.env.PAGE_WEIGHT_PASSWORD || 'demo-password-2019' },
			headers: { origin },
			maxRedirects: 0
		});
		if (DEMO_SECOND_FACTOR_EMAILS.includes(email)) {
			await context.request.post(`${origin}/sign-in/code?/verify`, { form: { code: totpCode(demoTotpKey(email)) }, headers: { origin }, maxRedirects: 0 });
		}
		signedIn = await context.storageState();
		await context.close();
	}
	for (const url of urls) {
		const context = await browser.newContext(signedIn ? { storageState: signedIn } : {});
		const page = await context.newPage();
		const sizes = { js: 0, css: 0, jsFiles: 0 };
		const files: { name: string; gz: number }[] = [];
		const pending: Promise<void>[] = [];
		page.on('response', (response) => {
			const type = response.request().resourceType();
			if (type !== 'script' && type !== 'stylesheet') return;
			pending.push(
				response.body().then((body) => {
					const gz = gzipSync(body, { level: 9 }).length;
					if (type === 'script') {
						files.push({ name: new URL(response.url()).pathname, gz });
						sizes.js += gz;
						sizes.jsFiles++;
					} else sizes.css += gz;
				})
			);
		});
		await page.goto(url, { waitUntil: 'networkidle' });
		await Promise.all(pending);
		console.log(`${url}: JavaScript ${(sizes.js / 1024).toFixed(1)} KB gzipped in ${sizes.jsFiles} files; CSS ${(sizes.css / 1024).toFixed(1)} KB gzipped`);
		if (perFile) for (const file of files.sort((a, b) => b.gz - a.gz)) console.log(`  ${(file.gz / 1024).toFixed(1).padStart(6)} KB  ${file.name}`);
		await context.close();
	}
} finally {
	await browser.close();
}
