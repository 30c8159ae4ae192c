import { expect, test, type Locator } from '@playwright/test';
import { cellUnder, expectAccessible, headline, signIn } from './helpers';

// Frontline professionals (the plan's Prevent awareness training: 87 in 2018-19) are counted
// apart from young people on the report pages and in the PCC return.

const YEAR_2018 = 'period=academic&year=2018';

function figure(table: Locator, label: string): Locator {
	return table
		.locator('tbody tr')
		.filter({ has: table.page().locator('th', { hasText: label }) })
		.locator('td');
}

test('the district overview shows 87 frontline professionals at Prevent training, apart from young people', async ({ page }) => {
	await signIn(page, 'viewer@demo.test');
	await page.goto(`/reports?${YEAR_2018}`);
	const overview = page.getByRole('table', { name: 'By programme', exact: true });
	const prevent = overview.locator('tbody tr').filter({ has: page.locator('th', { hasText: 'Prevent Awareness Training' }) });
	await expect(await cellUnder(overview, prevent, 'professionals')).toHaveText('87');
	await expect(await cellUnder(overview, prevent, 'youngPeopleReached')).toHaveText('0');
	await expect(overview.locator('thead')).toContainText('Frontline professionals');
	await expect(headline(page, 'Frontline professionals trained').figure).toHaveText('87');
	await expectAccessible(page);

	await overview.getByRole('link', { name: 'Prevent Awareness Training' }).click();
	await expect(page.getByRole('heading', { name: 'Prevent Awareness Training', level: 1 })).toBeVisible();
	await expect(headline(page, 'Frontline professionals trained').figure).toHaveText('87');
	await expect(headline(page, 'Young people reached').figure).toHaveText('0');
	await expectAccessible(page);
});

test('the PCC return lists the professionals trained apart from the young people reached', async ({ page }) => {
	await signIn(page, 'viewer@demo.test');
	await page.goto(`/reports/pcc-return?${YEAR_2018}`);
	const prevent = page.getByRole('region', { name: 'Prevent Awareness Training', exact: true });
	await expect(prevent.getByRole('heading', { level: 2 })).toHaveText('Prevent Awareness Training');
	await expect(prevent).toContainText('Prevent');
	const table = prevent.getByRole('table');
	await expect(figure(table, 'Frontline professionals')).toHaveText('87');
	await expect(figure(table, 'Young people reached')).toHaveText('0');
	// The Youth Conference's young people are not professionals.
	const conference = page.getByRole('region', { name: 'Youth Conference', exact: true }).getByRole('table');
	await expect(figure(conference, 'Young people reached')).toHaveText('802');
	await expect(figure(conference, 'Frontline professionals')).toHaveText('0');
	await expectAccessible(page);
});
