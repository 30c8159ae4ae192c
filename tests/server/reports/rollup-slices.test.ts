import { describe, expect, it } from 'vitest';
import { academicYear, financialQuarter, financialYear, type Period } from '../../../src/lib/server/reports/periods';
import { listRollupSlices, rollupFigures, type Figures, type RollupPeriod } from '../../../src/lib/server/reports/reports.queries';
import { refreshRollups } from '../../../src/lib/server/reports/rollups';
import { fromLondon } from '../../../src/lib/server/time';
import { useTestDatabase } from '../../support/database';
import { makeProgramme, makeSchool, makeSession, makeUser } from '../../support/factories';
import { makeYoungPerson } from '../../support/young-people-world';

// The suppression decision reads every period of a year's family in one query: it must hold
// exactly what the reports read one period and one cut at a time.

const t = useTestDatabase();

/** The figures a report shows, without sessions: with a school filter those are counted from the records, not read from the rollup. */
const people = (f: Figures | undefined) => f && { ...f, key: undefined, sessionsDelivered: undefined, sessionsCancelled: undefined };
const byKey = (m: Map<string, Figures>) => new Map([...m].map(([k, f]) => [k, people(f)]));

describe('the rollup read for a suppression decision', () => {
	it('holds each period’s total, programmes, schools and one school’s programmes as the reports read them', async () => {
		const lead = await makeUser(t.db, { role: 'lead' });
		const programmes = [await makeProgramme(t.db, { register_kind: 'named' }), await makeProgramme(t.db, { register_kind: 'named' })];
		const schools = [await makeSchool(t.db), await makeSchool(t.db, { phase: 'primary' })];
		const young = await Promise.all(Array.from({ length: 6 }, (_, i) => makeYoungPerson(t.db, { school_id: schools[i % 2]!.id, reception_year: 2010 })));
		const dates = ['2018-05-10', '2018-08-20', '2018-11-05', '2019-02-14', '2019-06-01'];
		for (const [d, date] of dates.entries()) {
			const session = await makeSession(t.db, { programme_id: programmes[d % 2]!.id, starts_at: fromLondon(date, '10:00'), status: 'completed' });
			const marks = young
				.filter((_, i) => (i + d) % 3 !== 0)
				.map((y) => ({ session_id: session.id, young_person_id: y.id, status: 'present' as const, recorded_by: lead.id }));
			await t.db.insertInto('attendance_mark').values(marks).execute();
		}
		await refreshRollups(t.db);

		const periods: Period[] = [financialYear(2018), ...([1, 2, 3, 4] as const).map((q) => financialQuarter(2018, q)), academicYear(2018)];
		const school = schools[0]!.id;
		const slices = await listRollupSlices(
			t.db,
			periods.map((p): RollupPeriod => ({ kind: p.kind as RollupPeriod['kind'], from: p.from })),
			school
		);
		expect(slices.map((s) => s.period.from)).toEqual(periods.map((p) => p.from));
		let counted = 0;
		for (const [k, period] of periods.entries()) {
			const slice = slices[k]!;
			const filter = { from: period.from, to: period.to, periodKind: period.kind };
			const read = async (key: 'total' | 'programme' | 'school', extra = {}) => byKey((await rollupFigures(t.db, { ...filter, ...extra }, key))!);
			expect(people(slice.total), period.label).toEqual((await read('total')).get('total') ?? people(slice.total));
			expect(byKey(slice.programmes), period.label).toEqual(await read('programme'));
			expect(byKey(slice.schools), period.label).toEqual(await read('school'));
			expect(byKey(slice.schoolProgrammes), period.label).toEqual(await read('programme', { schoolIds: [school] }));
			counted += slice.total.attended;
		}
		// The world has something in it: the financial year holds four sessions of four marks each.
		expect(slices[0]!.total.attended).toBe(16);
		expect(counted).toBeGreaterThan(20);
	});
});
