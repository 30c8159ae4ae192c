import { expect, test, type Page } from '@playwright/test';
import { signIn } from './helpers';

// On a slow connection a form shows, and can be typed into, before the page's scripts have
// arrived. When they start they must keep what was typed: a school office that chose the
// year group and typed the places before then, and pressed Book, was told to enter the places.

/** Opens `path` with the page's scripts held back, so the form is there before they start. */
async function openWithScriptsHeld(page: Page, path: string): Promise<() => Promise<void>> {
	let release!: () => void;
	const held = new Promise<void>((resolve) => (release = resolve));
	await page.route('**/_app/immutable/**/*.js', async (route) => {
		await held;
		await route.continue();
	});
	await page.goto(path, { waitUntil: 'domcontentloaded' });
	return async () => {
		release();
		// Idle only once the held scripts have arrived and started the page.
		await page.waitForLoadState('networkidle');
		await page.unroute('**/_app/immutable/**/*.js');
	};
}

/**
 * Types into every field of the page's main form as a person would, and returns what each
 * field holds: text typed into what is there, the last choice of each list, the last
 * of each set of radios and every checkbox turned over.
 */
async function fillEveryField(page: Page): Promise<Record<string, string>> {
	const form = page
		.locator('main form[method="POST"]')
		.filter({ has: page.getByRole('button') })
		.first();
	const fields = form.locator('input:not([type=hidden]):not([type=file]):not([type=submit]), textarea, select');
	for (const field of await fields.all()) {
		if (!(await field.isVisible()) || !(await field.isEnabled())) continue;
		const tag = await field.evaluate((e) => e.tagName.toLowerCase());
		const type = (await field.getAttribute('type')) ?? 'text';
		if (tag === 'select') {
			const values = await field.locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
			await field.selectOption(values.at(-1)!);
		} else if (type === 'checkbox') {
			await field.setChecked(!(await field.isChecked()));
		} else if (type === 'radio') {
			const name = (await field.getAttribute('name'))!;
			await form.locator(`input[type=radio][name="${name}"]`).last().check();
		} else if (type === 'date') {
			await field.fill('2031-03-14');
		} else if (type === 'time') {
			await field.fill('09:45');
		} else if (type === 'number' || (await field.getAttribute('inputmode')) === 'numeric') {
			await field.fill('7');
		} else if (type === 'email') {
			await field.fill('office@typed-early.example.org');
		} else {
			await field.pressSequentially(' Łucja');
		}
	}
	return fieldValues(page);
}

async function fieldValues(page: Page): Promise<Record<string, string>> {
	return page.locator('main form[method="POST"]').evaluateAll((forms) => {
		const values: Record<string, string> = {};
		for (const [f, form] of forms.entries()) {
			for (const field of (form as HTMLFormElement).querySelectorAll('input, textarea, select')) {
				const e = field as HTMLInputElement;
				if (e.type === 'hidden' || e.type === 'file' || e.type === 'submit') continue;
				const key = `form ${f} ${e.name || e.id}${e.type === 'radio' || e.type === 'checkbox' ? ` ${e.value}` : ''}`;
				values[key] = e.type === 'radio' || e.type === 'checkbox' ? String(e.checked) : e.value;
			}
		}
		return values;
	});
}

async function expectKeptWhenScriptsStart(page: Page, path: string): Promise<void> {
	const start = await openWithScriptsHeld(page, path);
	const typed = await fillEveryField(page);
	expect(Object.keys(typed).length, `${path} has fields`).toBeGreaterThan(0);
	await start();
	expect(await fieldValues(page), `what was typed on ${path} before its scripts started`).toEqual(typed);
}

test('what a school contact types before the page’s scripts start is kept when they do', async ({ page }) => {
	await signIn(page, 'school@demo.test');
	await page.goto('/sessions');
	await page
		.getByRole('link', { name: /^Youth Conference/ })
		.first()
		.click();
	const book = (await page.getByRole('link', { name: /Book places|Join the waiting list/ }).getAttribute('href'))!;
	for (const path of [book, '/young-people/new', '/account/password']) await expectKeptWhenScriptsStart(page, path);
});

test('what an admin and a lead type before the page’s scripts start is kept when they do', async ({ page }) => {
	await signIn(page, 'admin@demo.test');
	for (const path of ['/users/invite', '/schools/new', '/programmes/new', '/terms/new']) await expectKeptWhenScriptsStart(page, path);
	await page.context().clearCookies();
	await signIn(page, 'lead@demo.test');
	await page.goto('/programmes');
	await page.getByRole('link', { name: 'Youth Conference' }).click();
	await expect(page).toHaveURL(/\/programmes\/[0-9a-f-]{36}$/);
	const programme = new URL(page.url()).pathname;
	await expectKeptWhenScriptsStart(page, `${programme}/sessions/new`);
});

test('what is typed on the sign-in page before its scripts start is kept when they do', async ({ page }) => {
	await expectKeptWhenScriptsStart(page, '/sign-in');
	await expectKeptWhenScriptsStart(page, '/forgot-password');
});

test('a period chosen before the page’s scripts start is kept, and the fields shown follow it', async ({ page }) => {
	await signIn(page, 'viewer@demo.test');
	const start = await openWithScriptsHeld(page, '/reports/compare');
	// Without scripts every period field shows; the choice and what was typed into its fields.
	await page.getByLabel('Period').selectOption({ label: 'Quarter of a financial year' });
	await page.getByLabel('Quarter', { exact: true }).selectOption({ label: 'Quarter 1 (April to June)' });
	await page.getByLabel('Year it starts').fill('2019');
	await start();
	await expect(page.getByLabel('Period')).toHaveValue('quarter');
	await expect(page.getByLabel('Quarter', { exact: true })).toHaveValue('1');
	await expect(page.getByLabel('Year it starts')).toHaveValue('2019');
	// With scripts, the fields of the other kinds of period are put away.
	await expect(page.locator('input[name="from"]')).toHaveCount(0);
});
