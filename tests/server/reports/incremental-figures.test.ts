import { sql } from 'kysely';
import { describe, expect, it, vi } from 'vitest';
import type { Actor } from '../../../src/lib/server/auth/session';
import { saveHeadcounts, saveMarks } from '../../../src/lib/server/attendance/attendance.service';
import { cancelBooking } from '../../../src/lib/server/bookings/bookings.service';
import type { Db } from '../../../src/lib/server/db';
import { attendanceStatuses, schoolPhases, type YearGroup } from '../../../src/lib/server/db/schema';
import { deleteMeeting, logMeeting, updateMeeting } from '../../../src/lib/server/mentoring/mentoring.service';
import { rebuildRollups } from '../../../src/lib/server/reports/reports.queries';
import { recountFigures, reportFiguresChanged } from '../../../src/lib/server/reports/rollups';
import { updateSchool } from '../../../src/lib/server/schools/schools.service';
import { cancelSession, updateSessionDetails } from '../../../src/lib/server/sessions/sessions.service';
import { receptionYearFor } from '../../support/attendance-world';
import { sessionValues } from '../../support/booking-world';
import { makeActor, makeBooking, makeProgramme, makeSchool, makeSession } from '../../support/factories';
import { useTestDatabase } from '../../support/database';
import { readRebuilt } from '../../support/rebuilt';
import { generator } from '../../support/seeded';

// Report figures kept change by change must equal the figures rebuilt from nothing, whatever
// the changes. Random sequences of changes go through the services; each scope they report is
// counted again as the app would, and at checkpoints the rollup is compared with a whole rebuild
// (in a savepoint, so the sequence carries on from the incremental rollup). Seeded, so a
// failure can be replayed; the seed is in the test's name.

vi.mock('../../../src/lib/server/reports/rollups', async (importOriginal) => {
	const actual = await importOriginal<typeof import('../../../src/lib/server/reports/rollups')>();
	return { ...actual, reportFiguresChanged: vi.fn() };
});

const t = useTestDatabase();

// The sessions that took place are in the academic year 2025-26, across its quarters and two
// financial years, in the past for the database's clock (a session counts once it has started).
const PAST_DAYS = ['2025-09-15', '2025-12-20', '2026-01-10', '2026-03-30', '2026-04-02', '2026-06-15'];
// Sessions still to come, which changes may move between quarters, cancel or give up places at.
const FUTURE_DAYS = ['2027-02-10', '2027-03-30', '2027-04-05', '2027-05-05', '2027-07-01'];
const MEETING_DAYS = ['2025-09-02', '2025-10-31', '2026-01-01', '2026-03-31', '2026-04-01', '2026-07-30'];
const AFTER_MEETINGS = new Date('2026-08-01T12:00:00Z');
const BEFORE_FUTURE = new Date('2026-12-01T12:00:00Z');
const at = (day: string, time = '10:00:00') => new Date(`${day}T${time}Z`);
const dayBefore = (day: string, days: number) => new Date(at(day).getTime() - days * 86_400_000).toISOString().slice(0, 10);

async function buildWorld(db: Db & Parameters<typeof makeSchool>[0]) {
	const admin = await makeActor(db, { role: 'admin' });
	// Of three phases, so the all-schools rows' reach by phase has something to split.
	const schools = [await makeSchool(db), await makeSchool(db, { phase: 'primary' }), await makeSchool(db, { phase: 'special' })];
	const pupils = new Map<string, string[]>();
	for (const school of schools) {
		const rows = await db
			.insertInto('young_person')
			.values(
				Array.from({ length: 5 }, (_, i) => ({
					school_id: school.id,
					first_name: `Pupil${i}`,
					last_name: 'Incremental',
					reception_year: receptionYearFor('Y8', 2025)
				}))
			)
			.returning('id')
			.execute();
		pupils.set(
			school.id,
			rows.map((r) => r.id)
		);
	}
	const mentors = await db
		.insertInto('young_person')
		.values(
			[schools[0]!, schools[1]!].map((s, i) => ({
				school_id: s.id,
				first_name: `Mentor${i}`,
				last_name: 'Incremental',
				reception_year: receptionYearFor('Y12', 2025)
			}))
		)
		.returning('id')
		.execute();

	const named = [
		await makeProgramme(db, { register_kind: 'named', year_groups: ['Y8'] }),
		await makeProgramme(db, { register_kind: 'named', year_groups: ['Y8'] })
	];
	const workshop = await makeProgramme(db, { register_kind: 'headcount', shape: 'workshop', year_groups: ['Y8', 'parents'] });
	const registers: { id: string; startsAt: Date }[] = [];
	const headcounts: { id: string; startsAt: Date; cells: { schoolId: string; yearGroup: string }[] }[] = [];
	for (const [i, day] of PAST_DAYS.entries()) {
		const programme = named[i % 2]!;
		const session = await makeSession(db, { programme_id: programme.id, starts_at: at(day), year_groups: ['Y8'] });
		for (const school of schools) await makeBooking(db, { session_id: session.id, school_id: school.id, year_group: 'Y8', places: 10, created_by: admin.id });
		registers.push({ id: session.id, startsAt: session.starts_at });
		if (i % 2 === 0) {
			const counted = await makeSession(db, { programme_id: workshop.id, starts_at: at(day, '18:00:00'), year_groups: ['Y8', 'parents'] });
			const cells = [];
			for (const school of schools.slice(0, 2)) {
				for (const yearGroup of ['Y8', 'parents'] as const) {
					await makeBooking(db, { session_id: counted.id, school_id: school.id, year_group: yearGroup, places: 10, created_by: admin.id });
					cells.push({ schoolId: school.id, yearGroup });
				}
			}
			headcounts.push({ id: counted.id, startsAt: counted.starts_at, cells });
		}
	}
	const future: { id: string; programmeId: string }[] = [];
	const futureBookings: string[] = [];
	for (const day of FUTURE_DAYS.slice(0, 3)) {
		const session = await makeSession(db, { programme_id: named[0]!.id, starts_at: at(day), year_groups: ['Y8'] });
		future.push({ id: session.id, programmeId: named[0]!.id });
		for (const school of schools.slice(1)) {
			futureBookings.push((await makeBooking(db, { session_id: session.id, school_id: school.id, year_group: 'Y8', places: 5, created_by: admin.id })).id);
		}
	}

	const mentoring = await makeProgramme(db, { register_kind: 'named', shape: 'cohort', year_groups: ['Y8', 'Y12'] });
	const cohort = await db
		.insertInto('mentoring_cohort')
		.values({ programme_id: mentoring.id, academic_year: 2025, max_mentees_per_mentor: 5 })
		.returning('id')
		.executeTakeFirstOrThrow();
	// The first mentor mentors in two schools, so mentors can't be added up over schools.
	const pairs = await db
		.insertInto('mentoring_pair')
		.values([
			{ cohort_id: cohort.id, mentor_id: mentors[0]!.id, mentee_id: pupils.get(schools[0]!.id)![0]! },
			{ cohort_id: cohort.id, mentor_id: mentors[0]!.id, mentee_id: pupils.get(schools[1]!.id)![0]! },
			{ cohort_id: cohort.id, mentor_id: mentors[1]!.id, mentee_id: pupils.get(schools[1]!.id)![1]! },
			{ cohort_id: cohort.id, mentor_id: mentors[1]!.id, mentee_id: pupils.get(schools[2]!.id)![0]! }
		])
		.returning('id')
		.execute();
	return { admin, schools, pupils, registers, headcounts, future, futureBookings, mentoringId: mentoring.id, pairs: pairs.map((p) => p.id) };
}

type World = Awaited<ReturnType<typeof buildWorld>>;

/** One random change through a service; true when the service made it. */
async function change(db: Db, w: World, random: ReturnType<typeof generator>, admin: Actor): Promise<string | undefined> {
	const kind = random.pick([
		'mark',
		'mark',
		'mark',
		'headcount',
		'booking',
		'cancel',
		'move',
		'meeting',
		'meeting',
		'meeting_change',
		'meeting_delete',
		'phase'
	] as const);
	if (kind === 'mark') {
		const session = random.pick(w.registers);
		const school = random.pick(w.schools);
		const changes = [];
		for (const person of w.pupils.get(school.id)!) {
			if (random.int(2) === 0) continue;
			const mark = await db
				.selectFrom('attendance_mark')
				.select('version')
				.where('session_id', '=', session.id)
				.where('young_person_id', '=', person)
				.executeTakeFirst();
			changes.push({ youngPersonId: person, status: random.pick(attendanceStatuses), basedOn: mark?.version ?? null });
		}
		const result = await saveMarks(db, admin, session.id, changes, new Date(session.startsAt.getTime() + 3_600_000));
		return result.ok ? kind : undefined;
	}
	if (kind === 'headcount') {
		const session = random.pick(w.headcounts);
		const cell = random.pick(session.cells);
		const saved = await db
			.selectFrom('attendance_headcount')
			.select('version')
			.where('session_id', '=', session.id)
			.where('school_id', '=', cell.schoolId)
			.where('year_group', '=', cell.yearGroup as YearGroup)
			.executeTakeFirst();
		const change = { ...cell, count: random.int(11), basedOn: saved?.version ?? null };
		const result = await saveHeadcounts(db, admin, session.id, [change], new Date(session.startsAt.getTime() + 3_600_000));
		return result.ok ? kind : undefined;
	}
	if (kind === 'booking') {
		const result = await cancelBooking(db, admin, random.pick(w.futureBookings), BEFORE_FUTURE);
		return result.ok ? kind : undefined;
	}
	if (kind === 'cancel') {
		const session = random.pick(w.future);
		const result = await cancelSession(db, admin, session.programmeId, session.id);
		return result.ok ? kind : undefined;
	}
	if (kind === 'move') {
		const session = random.pick(w.future);
		const day = random.pick(FUTURE_DAYS);
		const values = sessionValues({
			date: day,
			startTime: '10:00',
			endTime: '12:00',
			capacity: '60',
			bookingOpens: dayBefore(day, 30),
			bookingCloses: dayBefore(day, 1),
			yearGroups: ['Y8'],
			confirmHoliday: true
		});
		const result = await updateSessionDetails(db, admin, session.programmeId, session.id, values, BEFORE_FUTURE);
		return result.ok ? kind : undefined;
	}
	if (kind === 'phase') {
		const school = random.pick(w.schools);
		const values = { name: school.name, urn: school.urn ?? '', phase: random.pick(schoolPhases), town: school.town };
		const result = await updateSchool(db, admin, school.id, values);
		return result.ok ? kind : undefined;
	}
	if (kind === 'meeting') {
		const values = { pairId: random.pick(w.pairs), metOn: random.pick(MEETING_DAYS), minutes: String(5 + random.int(60)), topics: ['gangs'], note: '' };
		const result = await logMeeting(db, admin, w.mentoringId, values, AFTER_MEETINGS);
		return result.ok ? kind : undefined;
	}
	const meetings = await db.selectFrom('mentoring_meeting').select('id').where('pair_id', 'in', w.pairs).orderBy('id').execute();
	if (meetings.length === 0) return undefined;
	const meeting = random.pick(meetings).id;
	if (kind === 'meeting_change') {
		const values = { metOn: random.pick(MEETING_DAYS), minutes: String(5 + random.int(60)), topics: ['cse'], note: '' };
		const result = await updateMeeting(db, admin, w.mentoringId, meeting, values, AFTER_MEETINGS);
		return result.ok ? kind : undefined;
	}
	const result = await deleteMeeting(db, admin, w.mentoringId, meeting, AFTER_MEETINGS);
	return result.ok ? kind : undefined;
}

/** Counts again what the services said they touched, as the app does after each commit. */
async function upkeep(db: Db): Promise<void> {
	for (const [scope] of vi.mocked(reportFiguresChanged).mock.calls) {
		if (scope) await recountFigures(db, scope);
		else await rebuildRollups(db);
	}
	vi.mocked(reportFiguresChanged).mockClear();
}

async function rollupRows(db: Db) {
	const { rows } = await sql<Record<string, unknown>>`select * from report_rollup order by period_kind, period_start, programme_id, school_id`.execute(db);
	return rows;
}

describe('report figures kept change by change', () => {
	for (const seed of [1, 2, 3]) {
		it(`equal the figures rebuilt from the records after random changes (seed ${seed})`, async () => {
			const w = await buildWorld(t.db);
			await rebuildRollups(t.db);
			vi.mocked(reportFiguresChanged).mockClear();
			const random = generator(seed);
			const made = new Map<string, number>();
			for (let step = 1; step <= 60; step++) {
				const kind = await change(t.db, w, random, w.admin);
				if (kind) made.set(kind, (made.get(kind) ?? 0) + 1);
				await upkeep(t.db);
				if (step % 15 === 0) expect(await rollupRows(t.db), `after change ${step}`).toEqual(await readRebuilt(t.db, rollupRows));
			}
			// The sequence did change the figures, in most of the ways it can.
			expect([...made.keys()].sort()).toEqual(expect.arrayContaining(['headcount', 'mark', 'meeting', 'move']));
			expect(made.get('mark')).toBeGreaterThan(5);
		}, 120_000);
	}

	it('counts again nothing but what the scope touches', async () => {
		const w = await buildWorld(t.db);
		await rebuildRollups(t.db);
		const school = w.schools[2]!;
		const ALL = '00000000-0000-0000-0000-000000000000';
		// Marked on that school's rows and the all-schools rows: each row counted again loses the mark.
		await sql`update report_rollup set attended = attended + 1000 where school_id in (${school.id}, ${ALL})`.execute(t.db);
		await recountFigures(t.db, { schools: [{ id: school.id, day: '2025-09-15' }] });
		const { rows } = await sql<{ school_id: string; period_kind: string; period_start: string }>`
			select school_id, period_kind, period_start::text from report_rollup where school_id in (${school.id}, ${ALL}) and attended < 1000
		`.execute(t.db);
		// That school's rows of the periods holding the day, and the all-schools rows of those periods.
		const touched = new Set(rows.map((r) => `${r.period_kind} ${r.period_start}`));
		expect(touched).toEqual(new Set(['academic 2025-09-01', 'financial 2025-04-01', 'quarter 2025-07-01']));
		expect(new Set(rows.map((r) => r.school_id))).toEqual(new Set([school.id, ALL]));
	});
});
