import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { seedDemo } from '../../../src/lib/server/demo/seed';
import { academicYear } from '../../../src/lib/server/reports/periods';
import { presentTable } from '../../../src/lib/server/reports/present';
import { reportOptions, type ReportOptions } from '../../../src/lib/server/reports/report-page';
import { bySchool, districtOverview, schoolReport } from '../../../src/lib/server/reports/reports.service';
import type { Actor } from '../../../src/lib/server/auth/session';
import { useTestDatabase } from '../../support/database';
import { actorFor } from '../../support/factories';

// The partnership plan's own figures for 2018-19, counted by the reports from the demo's
// record-level rows: 802 Year 8 pupils at the Youth Conference; 256 Year 6 pupils at Safety
// in Action Week, each through 8 workstations; 15 mentors and about 300 mentees; 25 John
// Muir Awards; 6 Gang Awareness workshops; 14 students from one school in the arts project;
// 87 frontline professionals at Prevent awareness training.

const t = useTestDatabase();
const csv = readFileSync(new URL('../../../src/lib/server/demo/demo-schools.csv', import.meta.url), 'utf8');
const period = academicYear(2018);

async function actor(email: string): Promise<Actor> {
	const user = await t.db.selectFrom('app_user').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
	return actorFor(user);
}

let admin: Actor;
let options: ReportOptions;
beforeEach(async () => {
	await seedDemo(t.db, csv);
	admin = await actor('admin@demo.test');
	options = await reportOptions(t.db, admin);
});

function programmeRow(overview: Awaited<ReturnType<typeof districtOverview>>, name: string) {
	const row = presentTable(overview.programmes).rows.find((r) => r.name === name);
	if (!row) throw new Error(`no row for ${name}`);
	return Object.fromEntries(Object.entries(row.cells).map(([k, v]) => [k, v.value]));
}

describe('the 2018-19 reference year', () => {
	it("shows the plan's figures programme by programme", async () => {
		const overview = await districtOverview(t.db, admin, { period }, options);
		expect(programmeRow(overview, 'Youth Conference')).toMatchObject({ youngPeopleReached: 802, attended: 802, sessionsDelivered: 1, schoolsReached: 10 });
		// 256 pupils, each through 8 workstations.
		expect(programmeRow(overview, 'Safety in Action Week')).toMatchObject({
			youngPeopleReached: 256,
			stationVisits: 2048,
			sessionsDelivered: 10,
			schoolsReached: 16
		});
		expect(programmeRow(overview, 'Peer Mentoring Programme')).toMatchObject({ mentors: 15, mentees: 300 });
		const awards = programmeRow(overview, 'John Muir Award');
		expect(awards.discovery! + awards.explorer! + awards.conserver!).toBe(25);
		expect(programmeRow(overview, 'Gang Awareness Workshops')).toMatchObject({ sessionsDelivered: 6, youngPeopleReached: 0 });
		expect(programmeRow(overview, 'Dover Smart Arts Project')).toMatchObject({ youngPeopleReached: 14, schoolsReached: 1 });
		// 87 frontline professionals at Prevent awareness training, counted apart from young people.
		expect(programmeRow(overview, 'Prevent Awareness Training')).toMatchObject({ professionals: 87, youngPeopleReached: 0 });
	});

	it("puts the arts project's 14 students at Astor College, and no one else", async () => {
		const arts = options.programmes.find((p) => p.name === 'Dover Smart Arts Project')!;
		const table = presentTable(await bySchool(t.db, admin, { period, programmeId: arts.id }, options));
		const reached = table.rows.filter((r) => (r.cells.youngPeopleReached.value ?? 0) > 0);
		expect(reached.map((r) => [r.name, r.cells.youngPeopleReached.value])).toEqual([['Astor College', 14]]);
	});

	it('keeps the later year apart, so 2019-20 shows its own figures', async () => {
		const overview = await districtOverview(t.db, admin, { period: academicYear(2019) }, options);
		expect(programmeRow(overview, 'Youth Conference')).toMatchObject({ youngPeopleReached: 846 });
		expect(programmeRow(overview, 'Gang Awareness Workshops')).toMatchObject({ sessionsDelivered: 7 });
		expect(programmeRow(overview, 'Dover Smart Arts Project')).toMatchObject({ youngPeopleReached: 0 });
	});

	it("shows a school contact their own school beside the district, and refuses another school's page", async () => {
		const contact = await actor('school@demo.test');
		const own = await reportOptions(t.db, contact);
		expect(own.schools!.map((s) => s.name)).toEqual(['Astor College']);
		const report = await schoolReport(t.db, contact, own.schools![0]!.id, { period }, own);
		expect(presentTable(report.own).total.youngPeopleReached.value).toBeGreaterThan(14);
		const other = options.schools!.find((s) => s.name !== 'Astor College')!;
		await expect(schoolReport(t.db, contact, other.id, { period }, own)).rejects.toMatchObject({ status: 404 });
		await expect(districtOverview(t.db, contact, { period }, own)).rejects.toMatchObject({ status: 404 });
	});

	it('shows a report viewer small counts as c and never a hidden figure', async () => {
		const viewer = await actor('viewer@demo.test');
		const table = presentTable(await bySchool(t.db, viewer, { period }, options));
		const shown = table.rows.flatMap((r) => Object.values(r.cells));
		expect(shown.some((c) => c.text === 'c')).toBe(true);
		for (const cell of shown) {
			if (cell.text === 'c') expect(cell.value).toBeNull();
		}
		for (const row of table.rows) {
			for (const measure of ['youngPeopleReached', 'attended', 'mentees', 'parents', 'professionals'] as const) {
				const value = row.cells[measure].value;
				if (value !== null) expect(value === 0 || value >= 5, `${row.name} ${measure} ${value}`).toBe(true);
			}
		}
	});
});
