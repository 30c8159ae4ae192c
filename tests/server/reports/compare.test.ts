import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/lib/server/auth/session';
import { seedDemo } from '../../../src/lib/server/demo/seed';
import { academicYear, financialQuarter, yearBefore, dateRange } from '../../../src/lib/server/reports/periods';
import { comparePage, overviewPage } from '../../../src/lib/server/reports/reports.service';
import { useTestDatabase } from '../../support/database';
import { actorFor } from '../../support/factories';

const t = useTestDatabase();
const csv = readFileSync(new URL('../../../src/lib/server/demo/demo-schools.csv', import.meta.url), 'utf8');

async function actor(email: string): Promise<Actor> {
	return actorFor(await t.db.selectFrom('app_user').selectAll().where('email', '=', email).executeTakeFirstOrThrow());
}

const page = async <T>(result: { ok: true; page: T } | { ok: false }) => {
	if (!result.ok) throw new Error('refused');
	return result.page;
};

describe('the same period a year before', () => {
	it('is last academic year, financial year or the same quarter of last year', () => {
		expect(yearBefore(academicYear(2019))).toEqual(academicYear(2018));
		expect(yearBefore(financialQuarter(2019, 4))).toEqual(financialQuarter(2018, 4));
		expect(yearBefore(dateRange('2020-02-29', '2020-03-31'))).toMatchObject({ from: '2019-02-28', to: '2019-03-31' });
	});
});

describe('this year against last year', () => {
	it("puts each year's overview figures side by side, with the change where both are shown", async () => {
		await seedDemo(t.db, csv);
		const admin = await actor('admin@demo.test');
		const compared = await page(await comparePage(t.db, admin, new URLSearchParams('period=academic&year=2019')));
		const then = await page(await overviewPage(t.db, admin, new URLSearchParams('period=academic&year=2018')));
		const now = await page(await overviewPage(t.db, admin, new URLSearchParams('period=academic&year=2019')));
		expect(compared.period?.label).toBe('Academic year 2019 to 2020');
		expect(compared.earlier.label).toBe('Academic year 2018 to 2019');
		for (const row of compared.measures!) {
			expect(row.before).toEqual(then.overview!.programmes.total[row.measure]);
			expect(row.now).toEqual(now.overview!.programmes.total[row.measure]);
		}
		const reached = compared.measures!.find((m) => m.measure === 'youngPeopleReached')!;
		expect(reached.before.value).toBeGreaterThan(802);
		const difference = reached.now.value! - reached.before.value!;
		expect(difference).not.toBe(0);
		expect(reached.change).toBe(`${difference > 0 ? '+' : '−'}${Math.abs(difference).toLocaleString('en-GB')}`);
		const rate = compared.measures!.find((m) => m.measure === 'attendanceRate')!;
		if (rate.before.value !== null && rate.now.value !== null) expect(rate.change).toMatch(/^([+−]\d+ points?|0 points)$/);
		const conference = compared.programmes!.find((p) => p.name === 'Youth Conference')!;
		expect(conference.before.text).toBe('802');
		expect(conference.change).toBe(`+${(conference.now.value! - 802).toLocaleString('en-GB')}`);
	});

	it('shows a report viewer the hidden cells as c with no change, and refuses a range of dates', async () => {
		await seedDemo(t.db, csv);
		const viewer = await actor('viewer@demo.test');
		const compared = await page(await comparePage(t.db, viewer, new URLSearchParams('period=academic&year=2019')));
		const hidden = compared.measures!.filter((m) => m.before.text === 'c');
		expect(hidden.length).toBeGreaterThan(0);
		for (const m of hidden) expect(m.change).toBe('–');
		const dates = await page(await comparePage(t.db, viewer, new URLSearchParams('period=dates&from=2019-01-01&to=2019-12-31')));
		expect(dates.filter.errors).toMatchObject({ period: expect.stringContaining('academic year') });
		expect(dates.measures).toBeNull();
	});

	it("sends a school contact to their own school's page", async () => {
		await seedDemo(t.db, csv);
		const school = await actor('school@demo.test');
		expect(await comparePage(t.db, school, new URLSearchParams())).toMatchObject({ ok: false });
	});
});
