import { describe, expect, it } from 'vitest';
import { attendanceStatuses, type AttendanceStatus } from '../../../src/lib/server/db/schema';
import { academicYear, financialQuarter, financialYear, parsePeriod, quartersIn } from '../../../src/lib/server/reports/periods';
import {
	countFigures,
	countSchoolsReachedByPhase,
	reachByPhase,
	reportFigures,
	rollupFigures,
	schoolsReachedByPhase,
	type Figures,
	type ReportFilter,
	type ReportKey
} from '../../../src/lib/server/reports/reports.queries';
import { refreshRollups } from '../../../src/lib/server/reports/rollups';
import { fromLondon } from '../../../src/lib/server/time';
import { useTestDatabase } from '../../support/database';
import { makeProgramme, makeSchool, makeSession, makeUser } from '../../support/factories';
import { makeYoungPerson } from '../../support/young-people-world';

const t = useTestDatabase();

async function world() {
	const programme = await makeProgramme(t.db, { register_kind: 'named' });
	const school = await makeSchool(t.db);
	const lead = await makeUser(t.db, { role: 'lead' });
	const session = (date: string, time = '10:00', status: 'completed' | 'cancelled' = 'completed') =>
		makeSession(t.db, { programme_id: programme.id, starts_at: fromLondon(date, time), ends_at: fromLondon(date, '23:59'), status });
	const mark = (sessionId: string, youngPersonId: string, status: AttendanceStatus = 'present') =>
		t.db.insertInto('attendance_mark').values({ session_id: sessionId, young_person_id: youngPersonId, status, recorded_by: lead.id }).execute();
	const person = () => makeYoungPerson(t.db, { school_id: school.id, reception_year: 2010 });
	return { programme, school, lead, session, mark, person };
}

const total = async (from: string, to: string) => (await reportFigures(t.db, { from, to }, 'total')).get('total');

describe('periods', () => {
	it('puts 31 August in one academic year and 1 September in the next, by UK date', async () => {
		const w = await world();
		const young = await w.person();
		// 23:30 on 31 August in the UK is 22:30 UTC: still the old year.
		await w.mark((await w.session('2019-08-31', '23:30')).id, young.id);
		await w.mark((await w.session('2019-09-01', '00:30')).id, young.id, 'late');
		expect((await total(academicYear(2018).from, academicYear(2018).to))?.attended).toBe(1);
		expect((await total(academicYear(2019).from, academicYear(2019).to))?.attended).toBe(1);
		expect((await total('2019-08-31', '2019-09-01'))?.attended).toBe(2);
	});

	it('puts 31 March in one financial year and 1 April in the next', async () => {
		const w = await world();
		const young = await w.person();
		await w.mark((await w.session('2020-03-31', '18:00')).id, young.id);
		await w.mark((await w.session('2020-04-01', '09:00')).id, young.id);
		expect((await total(financialYear(2019).from, financialYear(2019).to))?.sessionsDelivered).toBe(1);
		expect((await total(financialYear(2020).from, financialYear(2020).to))?.sessionsDelivered).toBe(1);
	});

	it('reads a period from the search parameters, and names a bad one', () => {
		expect(parsePeriod(new URLSearchParams('period=financial&year=2019')).period).toMatchObject({ from: '2019-04-01', to: '2020-03-31' });
		expect(parsePeriod(new URLSearchParams('period=quarter&year=2019&quarter=4')).period).toMatchObject({ from: '2020-01-01', to: '2020-03-31' });
		expect(parsePeriod(new URLSearchParams('period=dates&from=2019-02-01&to=2019-02-28')).period).toMatchObject({ from: '2019-02-01', to: '2019-02-28' });
		expect(parsePeriod(new URLSearchParams('period=dates&from=2019-02-30&to=2019-01-01'))).toMatchObject({
			period: { kind: 'academic' },
			errors: { from: expect.any(String) }
		});
		expect(parsePeriod(new URLSearchParams('period=dates&from=2019-02-02&to=2019-02-01'))).toMatchObject({
			period: { kind: 'academic' },
			errors: { to: expect.any(String) }
		});
		expect(parsePeriod(new URLSearchParams('period=quarter&year=2019&quarter=5'))).toMatchObject({
			period: { kind: 'academic' },
			errors: { quarter: expect.any(String) }
		});
		expect(parsePeriod(new URLSearchParams(''), '2026-11-27').period).toMatchObject({ from: '2026-09-01', to: '2027-08-31' });
		expect(quartersIn(financialYear(2019)).map((q) => q.from)).toEqual(['2019-04-01', '2019-07-01', '2019-10-01', '2020-01-01']);
	});
});

describe('counting', () => {
	it('counts a young person who came twice once, and both attendances', async () => {
		const w = await world();
		const twice = await w.person();
		const once = await w.person();
		const first = await w.session('2019-02-07');
		const second = await w.session('2019-02-14');
		await w.mark(first.id, twice.id);
		await w.mark(second.id, twice.id, 'late');
		await w.mark(first.id, once.id);
		await w.mark(second.id, once.id, 'absent_unauthorised');
		const f = await total('2018-09-01', '2019-08-31');
		expect(f).toMatchObject({ namedYoungPeople: 2, attended: 3, expected: 4, sessionsDelivered: 2 });
		// A range that splits a month counts from the marks themselves, with the same answer.
		expect(await total('2019-02-10', '2019-02-20')).toMatchObject({ namedYoungPeople: 1, attended: 1 });
	});

	it('counts cancelled sessions apart and nothing booked at them', async () => {
		const w = await world();
		const cancelled = await w.session('2019-03-01', '10:00', 'cancelled');
		await t.db
			.insertInto('booking')
			.values({
				session_id: cancelled.id,
				school_id: w.school.id,
				year_group: 'Y8',
				places: 20,
				confirmed_places: 20,
				status: 'confirmed',
				contact_name: 'Office',
				contact_phone: '01304 000000',
				created_by: w.lead.id
			})
			.execute();
		expect(await total('2019-03-01', '2019-03-01')).toMatchObject({ sessionsDelivered: 0, sessionsCancelled: 1, placesBooked: 0 });
	});
});

describe('the rollup', () => {
	/** A seeded generator, so a failure can be replayed. */
	function random(seed: number) {
		let a = seed;
		return () => {
			a = (a * 1103515245 + 12345) % 2147483648;
			return a / 2147483648;
		};
	}

	it('always equals the figures counted from the records, for every standard period, key and filter', async () => {
		const next = random(20191);
		const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
		const w = await world();
		const other = await makeProgramme(t.db, { register_kind: 'named' });
		const primary = await makeSchool(t.db, { phase: 'primary', town: 'Deal' });
		const people = [
			...(await Promise.all(Array.from({ length: 8 }, () => w.person()))),
			...(await Promise.all(Array.from({ length: 6 }, () => makeYoungPerson(t.db, { school_id: primary.id, reception_year: 2011 }))))
		];
		const sessions = [
			...(await Promise.all(['2019-01-15', '2019-03-31', '2019-04-01', '2019-08-31', '2019-09-01'].map((d) => w.session(d)))),
			await w.session('2019-02-10', '10:00', 'cancelled'),
			await makeSession(t.db, { programme_id: other.id, starts_at: fromLondon('2019-02-10', '10:00'), status: 'completed' })
		];
		for (const session of sessions.slice(0, 4)) {
			for (const school of [w.school.id, primary.id]) {
				if (next() < 0.7) {
					await t.db
						.insertInto('booking')
						.values({
							session_id: session.id,
							school_id: school,
							year_group: 'Y8',
							places: 12,
							confirmed_places: 12,
							status: 'confirmed',
							contact_name: 'Office',
							contact_phone: '01304 000000',
							created_by: w.lead.id
						})
						.execute();
				}
			}
		}
		await t.db
			.insertInto('attendance_headcount')
			.values({ session_id: sessions[2]!.id, school_id: primary.id, year_group: 'Y6', count: 9, recorded_by: w.lead.id })
			.execute();
		await t.db
			.insertInto('attendance_headcount')
			.values({ session_id: sessions[3]!.id, school_id: w.school.id, year_group: 'parents', count: 3, recorded_by: w.lead.id })
			.execute();
		const station = await t.db
			.insertInto('station')
			.values({ session_id: sessions[2]!.id, position: 0, name: 'Water safety', theme: 'Water', places: 16 })
			.returning('id')
			.executeTakeFirstOrThrow();
		await t.db
			.insertInto('station_headcount')
			.values({ session_id: sessions[2]!.id, station_id: station.id, school_id: primary.id, year_group: 'Y6', count: 9, recorded_by: w.lead.id })
			.execute();
		const statuses: readonly AttendanceStatus[] = attendanceStatuses;
		const marks = new Map<string, { session_id: string; young_person_id: string; status: AttendanceStatus; recorded_by: string }>();
		for (let i = 0; i < 60; i++) {
			const row = { session_id: pick(sessions).id, young_person_id: pick(people).id, status: pick(statuses), recorded_by: w.lead.id };
			marks.set(`${row.session_id}/${row.young_person_id}`, row);
		}
		await t.db
			.insertInto('attendance_mark')
			.values([...marks.values()])
			.execute();
		await refreshRollups(t.db);

		const anything = (f: Figures) =>
			Object.entries(f).some(([k, v]) => k !== 'key' && (typeof v === 'number' ? v !== 0 : Object.values(v as object).some((n) => n !== 0)));
		const nonEmpty = (m: Map<string, Figures>) => new Map([...m].filter(([, f]) => anything(f)));
		const sorted = (figures: Map<string, unknown>) => [...figures.entries()].sort(([a], [b]) => a.localeCompare(b));
		const periods = [academicYear(2018), academicYear(2019), financialYear(2018), financialYear(2019), financialQuarter(2018, 4), financialQuarter(2019, 2)];
		const filters: Partial<ReportFilter>[] = [
			{},
			{ programmeIds: [w.programme.id] },
			{ phase: 'primary' },
			{ town: 'Deal', programmeIds: [other.id] },
			{ schoolIds: [w.school.id] }
		];
		let compared = 0;
		for (const period of periods) {
			for (const extra of filters) {
				for (const key of ['total', 'school', 'programme', 'quarter'] as ReportKey[]) {
					const filter: ReportFilter = { from: period.from, to: period.to, periodKind: period.kind, ...extra };
					const fromRollup = await rollupFigures(t.db, filter, key);
					if (!fromRollup) continue;
					// Either side may hold a key whose figures are all zero (a cancelled session's school, say): compare the rest.
					const counted = await countFigures(t.db, filter, key);
					expect(sorted(nonEmpty(fromRollup)), `${period.label} ${JSON.stringify(extra)} by ${key}`).toEqual(sorted(nonEmpty(counted)));
					compared++;
				}
			}
		}
		expect(compared).toBeGreaterThan(80);
		for (const period of periods) {
			for (const extra of [{}, { programmeIds: [w.programme.id] }, { town: 'Deal' as const }]) {
				const filter: ReportFilter = { from: period.from, to: period.to, periodKind: period.kind, ...extra };
				const byPhase = (rows: { phase: string; reached: number }[]) => rows.filter((r) => r.reached > 0).sort((a, b) => a.phase.localeCompare(b.phase));
				const counted = byPhase(await countSchoolsReachedByPhase(t.db, filter));
				expect(byPhase(await schoolsReachedByPhase(t.db, filter)), `${period.label} ${JSON.stringify(extra)}`).toEqual(counted);
				// The overview's read: for the whole district, from the all-schools row (migration 20261208T0100).
				expect(
					byPhase(await reachByPhase(t.db, filter)).map(({ phase, reached }) => ({ phase, reached })),
					`reach ${period.label} ${JSON.stringify(extra)}`
				).toEqual(counted);
			}
		}
		// And the reports read it: the same answer through reportFigures.
		const year = { from: academicYear(2018).from, to: academicYear(2018).to, periodKind: 'academic' as const };
		expect((await reportFigures(t.db, year, 'total')).get('total')?.namedYoungPeople).toBeGreaterThan(0);
	});

	it('is rebuilt, not kept by triggers: a new mark shows after the next refresh', async () => {
		const w = await world();
		const session = await w.session('2019-01-15');
		const young = await w.person();
		await refreshRollups(t.db);
		const year = { from: academicYear(2018).from, to: academicYear(2018).to, periodKind: 'academic' as const };
		expect((await reportFigures(t.db, year, 'total')).get('total')?.attended ?? 0).toBe(0);
		await w.mark(session.id, young.id);
		await refreshRollups(t.db);
		expect((await reportFigures(t.db, year, 'total')).get('total')?.attended).toBe(1);
	});
});
