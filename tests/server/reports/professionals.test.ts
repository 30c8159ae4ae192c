import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/lib/server/auth/session';
import { seedDemo } from '../../../src/lib/server/demo/seed';
import { pccReturn, pccReturnSheets, presentPccReturn } from '../../../src/lib/server/reports/pcc-return';
import { academicYear, dateRange, financialYear } from '../../../src/lib/server/reports/periods';
import { presentTable } from '../../../src/lib/server/reports/present';
import { reportOptions, type ReportOptions } from '../../../src/lib/server/reports/report-page';
import { countFigures, rebuildRollups, reportFigures } from '../../../src/lib/server/reports/reports.queries';
import { bySchool, bySchoolDownload, districtOverview, trendByQuarter } from '../../../src/lib/server/reports/reports.service';
import { useTestDatabase } from '../../support/database';
import { actorFor } from '../../support/factories';

// Frontline professionals are an audience of their own (the plan's Prevent awareness training:
// 87 professionals in 2018-19): counted apart in every report and the PCC return, and never
// among the young people.

const t = useTestDatabase();
const csv = readFileSync(new URL('../../../src/lib/server/demo/demo-schools.csv', import.meta.url), 'utf8');
const period = academicYear(2018);

async function actor(email: string): Promise<Actor> {
	return actorFor(await t.db.selectFrom('app_user').selectAll().where('email', '=', email).executeTakeFirstOrThrow());
}

let admin: Actor;
let options: ReportOptions;
beforeEach(async () => {
	await seedDemo(t.db, csv);
	admin = await actor('admin@demo.test');
	options = await reportOptions(t.db, admin);
});

function values(row: { cells: Record<string, { value: number | null }> }) {
	return Object.fromEntries(Object.entries(row.cells).map(([k, v]) => [k, v.value]));
}

async function overviewValues() {
	const overview = presentTable((await districtOverview(t.db, admin, { period }, options)).programmes);
	return {
		rows: Object.fromEntries(overview.rows.map((r) => [r.name, values(r)])),
		total: Object.fromEntries(Object.entries(overview.total).map(([k, v]) => [k, v.value]))
	};
}

describe('frontline professionals in the 2018-19 reference year', () => {
	it('shows 87 professionals at Prevent awareness training, and no young people there', async () => {
		const { rows, total } = await overviewValues();
		expect(rows['Prevent Awareness Training']).toMatchObject({ professionals: 87, youngPeopleReached: 0, sessionsDelivered: 4, attended: 87 });
		expect(total.professionals).toBe(87);
		// Nowhere else: professionals are only counted where they were.
		for (const [name, row] of Object.entries(rows)) if (name !== 'Prevent Awareness Training') expect(row.professionals, name).toBe(0);
	});

	it('leaves every young-people figure as it was without them', async () => {
		const withProfessionals = await overviewValues();
		await t.db.deleteFrom('attendance_headcount').where('year_group', '=', 'professionals').execute();
		await rebuildRollups(t.db);
		const without = await overviewValues();
		expect(without.total.professionals).toBe(0);
		expect(withProfessionals.total.youngPeopleReached).toBe(without.total.youngPeopleReached);
		expect(withProfessionals.total.schoolsReached).toBe(without.total.schoolsReached);
		for (const name of Object.keys(without.rows)) {
			expect(withProfessionals.rows[name]!.youngPeopleReached, name).toBe(without.rows[name]!.youngPeopleReached);
			expect(withProfessionals.rows[name]!.parents, name).toBe(without.rows[name]!.parents);
		}
		expect(withProfessionals.total.youngPeopleReached).toBeGreaterThan(802 + 256);
	});

	it('counts the same from the records as from the rollup, for a range of dates too', async () => {
		const prevent = options.programmes.find((p) => p.name === 'Prevent Awareness Training')!;
		const filter = { from: period.from, to: period.to, periodKind: period.kind, programmeIds: [prevent.id] };
		const [rolled, counted] = await Promise.all([reportFigures(t.db, filter, 'school'), countFigures(t.db, filter, 'school')]);
		expect([...rolled.values()].map((f) => [f.key, f.professionals, f.headcountYoungPeople]).sort()).toEqual(
			[...counted.values()].map((f) => [f.key, f.professionals, f.headcountYoungPeople]).sort()
		);
		const range = dateRange('2018-11-01', '2019-01-31');
		const inRange = (await countFigures(t.db, { from: range.from, to: range.to, periodKind: 'dates' }, 'total')).get('total')!;
		expect(inRange.professionals).toBe(24 + 21);
	});

	it('puts professionals under the school that booked their places, without making it reached', async () => {
		const prevent = options.programmes.find((p) => p.name === 'Prevent Awareness Training')!;
		const table = presentTable(await bySchool(t.db, admin, { period, programmeId: prevent.id }, options));
		const counted = table.rows.filter((r) => (r.cells.professionals.value ?? 0) > 0);
		expect(counted.length).toBeGreaterThan(3);
		expect(counted.reduce((sum, r) => sum + r.cells.professionals.value!, 0)).toBe(87);
		expect(table.total.professionals.value).toBe(87);
		for (const row of table.rows) {
			expect(row.cells.youngPeopleReached.value, row.name).toBe(0);
			expect(row.cells.schoolsReached.value, row.name).toBe(0);
		}
	});

	it('shows a trend of professionals by quarter', async () => {
		const trend = presentTable(await trendByQuarter(t.db, admin, { period: financialYear(2018) }));
		expect(trend.rows.map((r) => r.cells.professionals.value)).toEqual([0, 0, 24, 21 + 22]);
		expect(trend.total.professionals.value).toBe(67);
	});

	it('hides small counts of professionals from a report viewer as it does young people', async () => {
		const viewer = await actor('viewer@demo.test');
		const viewerOptions = await reportOptions(t.db, viewer);
		const table = presentTable(await bySchool(t.db, viewer, { period }, viewerOptions));
		const exact = presentTable(await bySchool(t.db, admin, { period }, options));
		// The demo's per-school counts of professionals include some from 1 to 4: those are the ones hidden.
		const small = exact.rows.filter((r) => (r.cells.professionals.value ?? 0) > 0 && r.cells.professionals.value! < 5);
		expect(small.length).toBeGreaterThan(0);
		for (const row of table.rows) {
			const cell = row.cells.professionals;
			if (cell.text === 'c') expect(cell.value).toBeNull();
			else expect(cell.value === 0 || cell.value! >= 5, `${row.name} ${cell.value}`).toBe(true);
		}
		for (const row of small) expect(table.rows.find((r) => r.id === row.id)!.cells.professionals.text).toBe('c');
	});
});

describe('frontline professionals in the PCC return', () => {
	it('lists professionals apart from young people, on the page and in the download', async () => {
		const shown = presentPccReturn(await pccReturn(t.db, admin, { period }, options));
		const prevent = shown.programmes.find((p) => p.name === 'Prevent Awareness Training')!;
		expect(prevent).toMatchObject({ priority: 'Prevent' });
		expect(prevent.cells.professionals.text).toBe('87');
		expect(prevent.cells.youngPeopleReached.text).toBe('0');
		expect(shown.total.professionals.text).toBe('87');

		const sheets = pccReturnSheets(await pccReturn(t.db, admin, { period }, options, true), new Date('2026-11-27T12:00:00Z'));
		const [header, ...rows] = sheets[0]!.rows;
		const professionals = header!.indexOf('Frontline professionals');
		const young = header!.indexOf('Young people reached');
		expect(professionals).toBeGreaterThan(young);
		expect(rows.find((r) => r[0] === 'Prevent Awareness Training')![professionals]).toBe(87);
		expect(rows.find((r) => r[0] === 'Prevent Awareness Training')![young]).toBe(0);
		expect(rows.find((r) => r[0] === 'Total')![professionals]).toBe(87);
		expect(rows.find((r) => r[0] === 'Youth Conference')![professionals]).toBe(0);
	});

	it('has a column of professionals in the by-school download', async () => {
		const result = await bySchoolDownload(t.db, admin, new URLSearchParams({ period: 'academic', year: '2018' }));
		if (!result.ok) throw new Error(JSON.stringify(result));
		const [header, ...lines] = String(result.file.body).trim().split(/\r?\n/);
		const columns = header!.split(',');
		const at = columns.indexOf('Frontline professionals');
		expect(at).toBeGreaterThan(-1);
		const total = lines.find((l) => l.startsWith('All schools'))!.split(',');
		expect(total[at]).toBe('87');
	});
});
