import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { seedDemo } from '../../../src/lib/server/demo/seed';
import { withTransaction } from '../../../src/lib/server/db';
import { academicYear, financialQuarter, financialYear, type Period } from '../../../src/lib/server/reports/periods';
import { presentTable } from '../../../src/lib/server/reports/present';
import { reportOptions } from '../../../src/lib/server/reports/report-page';
import { countFigures, rebuildRollups, type ReportKey } from '../../../src/lib/server/reports/reports.queries';
import { districtOverview } from '../../../src/lib/server/reports/reports.service';
import { anonymise, runRetention } from '../../../src/lib/server/retention/retention.service';
import { schoolRecordsDownload, schoolRecordKinds } from '../../../src/lib/server/school-records/school-records.service';
import { useTestDatabase } from '../../support/database';
import { actorFor } from '../../support/factories';
import { everyRowAsText } from '../../support/retention-world';

// Anonymisation keeps every row that report figures count (marks, enrolments, pairs, meetings,
// awards) and each young person's school and year group, so the figures of every past period
// are the same before and after, to the byte. The figures compared are counted afresh from the
// records (countFigures, what the rollup is built from), and the rollup itself rebuilt after.

const t = useTestDatabase();
const csv = readFileSync(new URL('../../../src/lib/server/demo/demo-schools.csv', import.meta.url), 'utf8');

const periods: Period[] = [];
for (let year = 2016; year <= 2026; year++) {
	periods.push(academicYear(year), financialYear(year));
	for (const q of [1, 2, 3, 4] as const) periods.push(financialQuarter(year, q));
}
const keys: ReportKey[] = ['total', 'school', 'programme', 'quarter'];

/** Every figure of every period, by every key, as one text. */
async function allFigures(): Promise<string> {
	const parts: string[] = [];
	for (const period of periods) {
		for (const key of keys) {
			const figures = await countFigures(t.db, { from: period.from, to: period.to }, key);
			parts.push(`${period.from}..${period.to} ${key} ${JSON.stringify([...figures.entries()].sort(([a], [b]) => a.localeCompare(b)))}`);
		}
	}
	return parts.join('\n');
}

/** The rollup as rebuilt now, every row in a fixed order. */
async function rebuiltRollup(): Promise<string> {
	await rebuildRollups(t.db);
	const rows = await sql<{
		row: string;
	}>`select row_to_json(r)::text as row from report_rollup r order by period_kind, period_start, programme_id, school_id`.execute(t.db);
	return rows.rows.map((r) => r.row).join('\n');
}

async function admin() {
	return actorFor(await t.db.selectFrom('app_user').selectAll().where('email', '=', 'admin@demo.test').executeTakeFirstOrThrow());
}

beforeEach(async () => {
	await seedDemo(t.db, csv);
});

describe('anonymisation and the report figures', () => {
	it('leaves the 2018-19 reference figures unchanged after anonymising every young person of that year', async () => {
		const actor = await admin();
		const options = await reportOptions(t.db, actor);
		const overview = async () => JSON.stringify(presentTable((await districtOverview(t.db, actor, { period: academicYear(2018) }, options)).programmes));
		const before = { figures: await allFigures(), rollup: await rebuiltRollup(), overview: await overview() };
		const ids = await sql<{ id: string }>`
			select m.young_person_id as id from attendance_mark m join programme_session s on s.id = m.session_id
				where s.starts_at >= '2018-09-01' and s.starts_at < '2019-09-01'
			union select e.young_person_id from enrolment e where e.started_on <= '2019-08-31' and coalesce(e.ended_on, '2019-08-31') >= '2018-09-01'
			union select p.mentee_id from mentoring_pair p join mentoring_cohort c on c.id = p.cohort_id where c.academic_year = 2018
			union select p.mentor_id from mentoring_pair p join mentoring_cohort c on c.id = p.cohort_id where c.academic_year = 2018
			union select ap.young_person_id from award_participant ap where ap.achieved_on between '2018-09-01' and '2019-08-31'`.execute(t.db);
		expect(ids.rows.length).toBeGreaterThan(300);

		const changed = await withTransaction(t.db, (trx) =>
			anonymise(
				trx,
				ids.rows.map((r) => r.id),
				new Date('2026-12-03T02:00:00Z')
			)
		);

		expect(changed).toHaveLength(ids.rows.length);
		expect(await overview()).toBe(before.overview);
		expect(await allFigures()).toBe(before.figures);
		expect(await rebuiltRollup()).toBe(before.rollup);
		expect(before.overview).toContain('"value":802');
	}, 240_000);

	it('keeps every past period byte-identical when a nightly run in 2040 anonymises everyone, and no name is left anywhere', async () => {
		const actor = await admin();
		const names = await t.db.selectFrom('young_person').select(['first_name', 'last_name', 'school_id']).execute();
		const before = { figures: await allFigures(), rollup: await rebuiltRollup() };

		const run = await runRetention(t.db, new Date('2040-09-02T02:00:00Z'));

		expect(names.length).toBeGreaterThan(300);
		expect(run.anonymised).toBe(names.length);
		expect(await allFigures()).toBe(before.figures);
		expect(await rebuiltRollup()).toBe(before.rollup);
		const everything = await everyRowAsText(t.db);
		const survivors = names.filter((n) => everything.includes(`${n.first_name} ${n.last_name}`) || everything.includes(`"${n.last_name}"`));
		expect(survivors).toEqual([]);
		// The exports say no names either: a school's records, every kind, for every school that had young people.
		for (const schoolId of new Set(names.map((n) => n.school_id))) {
			for (const kind of schoolRecordKinds) {
				const { file } = await schoolRecordsDownload(t.db, actor, schoolId, kind, 'csv', new Date('2040-09-02T12:00:00Z'));
				const text = String(file.body);
				expect(names.filter((n) => n.school_id === schoolId && text.includes(`${n.first_name},${n.last_name}`))).toEqual([]);
			}
		}
	}, 240_000);
});
