import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db';
import type { AttendanceStatus, YearGroup } from '../db/schema';

// A young person's year group is not stored: it rolls over each 1 September. It is the
// academic year of the moment asked about (by its starting calendar year, in UK time) minus
// the academic year they were in Reception: 0 is Reception, 1 to 13 are Years 1 to 13.

/** The academic year of an instant, by the calendar year it starts in: September onwards is the next one. */
export function academicYearSql(at: Date): RawBuilder<number> {
	const london = sql`(${at.toISOString()}::timestamptz at time zone 'Europe/London')`;
	return sql<number>`(extract(year from ${london})::int - case when extract(month from ${london}) >= 9 then 0 else 1 end)`;
}

/** The year group ('R', 'Y1' ... 'Y13') of a reception_year column at an instant; null outside school age. */
export function yearGroupSql(receptionYear: RawBuilder<unknown>, at: Date): RawBuilder<YearGroup | null> {
	const years = sql`(${academicYearSql(at)} - ${receptionYear})`;
	return sql<YearGroup | null>`case when ${years} = 0 then 'R' when ${years} between 1 and 13 then 'Y' || ${years}::text end`;
}

/** Bookings that hold places at a session: confirmed ones, and waitlisted ones granted some. */
export const holdsPlaces = sql<boolean>`(b.status = 'confirmed' or (b.status = 'waitlisted' and b.confirmed_places > 0))`;
const registerStages = ['enrolled', 'active', 'completed'] as const;

export interface RegisterSession {
	id: string;
	programme_id: string;
	starts_at: Date;
}

/**
 * A named register: the young people of each school holding places, in the booked year group
 * as of the session's date, and those enrolled in the programme on that date, with any saved mark. Sorted
 * by school, then last and first name.
 */
export async function listRegister(db: Db, session: RegisterSession) {
	const yearGroup = yearGroupSql(sql.ref('yp.reception_year'), session.starts_at);
	// Who is on it, found from the session's bookings and the programme's enrolments (both
	// indexed) rather than by testing every young person in the county against them.
	const onRegister = db
		.selectFrom('booking as b')
		.innerJoin('young_person as yp', 'yp.school_id', 'b.school_id')
		.select('yp.id')
		.where('b.session_id', '=', session.id)
		.where(holdsPlaces)
		// A booking made on a school's behalf names none of its young people until an admin approves it.
		.where((eb) => eb.or([eb('b.on_behalf', '=', false), eb('b.approved_at', 'is not', null)]))
		.where(sql<boolean>`b.year_group = ${yearGroup}`)
		.union(
			db
				.selectFrom('enrolment as e')
				.select('e.young_person_id as id')
				.where('e.programme_id', '=', session.programme_id)
				.where('e.stage', 'in', registerStages)
				// Enrolled on the session's day: a young person who joins later is not on earlier registers.
				.where(sql<boolean>`e.started_on <= (${session.starts_at.toISOString()}::timestamptz at time zone 'Europe/London')::date`)
				.where((eb) =>
					eb.or([
						eb('e.ended_on', 'is', null),
						eb('e.ended_on', '>=', sql<string>`(${session.starts_at.toISOString()}::timestamptz at time zone 'Europe/London')::date`)
					])
				)
		);
	return db
		.with('on_register', () => onRegister)
		.selectFrom('on_register')
		.innerJoin('young_person as yp', 'yp.id', 'on_register.id')
		.innerJoin('school', 'school.id', 'yp.school_id')
		.leftJoin('attendance_mark as m', (join) => join.onRef('m.young_person_id', '=', 'yp.id').on('m.session_id', '=', session.id))
		.leftJoin('app_user as marker', 'marker.id', 'm.recorded_by')
		.select(['yp.id', 'yp.first_name', 'yp.last_name', 'yp.school_id', 'school.name as school_name', 'm.status as mark', 'm.version', 'm.recorded_at'])
		.select('marker.name as recorded_by_name')
		.select(yearGroup.as('year_group'))
		.where('yp.archived_at', 'is', null)
		.orderBy('school.name')
		.orderBy(sql`lower(yp.last_name)`)
		.orderBy(sql`lower(yp.first_name)`)
		.orderBy('yp.id')
		.execute();
}

export type RegisterRow = Awaited<ReturnType<typeof listRegister>>[number];

export interface MarkRow {
	youngPersonId: string;
	status: AttendanceStatus;
}

/**
 * Saves marks in one statement, each changed mark's version raised by one. A mark that has not
 * changed keeps who recorded it, when, and its version. The caller has checked each mark's
 * version under the session's lock. 5 parameters a row: PostgreSQL's 65,535 allows 13,107
 * marks, far more than any register.
 */
export async function upsertMarks(db: Db, sessionId: string, marks: MarkRow[], recordedBy: string, at: Date): Promise<void> {
	if (marks.length === 0) return;
	await db
		.insertInto('attendance_mark')
		.values(marks.map((m) => ({ session_id: sessionId, young_person_id: m.youngPersonId, status: m.status, recorded_by: recordedBy, recorded_at: at })))
		.onConflict((oc) =>
			oc
				.columns(['session_id', 'young_person_id'])
				.doUpdateSet((eb) => ({
					status: eb.ref('excluded.status'),
					recorded_by: eb.ref('excluded.recorded_by'),
					recorded_at: eb.ref('excluded.recorded_at'),
					version: sql<number>`attendance_mark.version + 1`
				}))
				.where(sql<boolean>`attendance_mark.status is distinct from excluded.status`)
		)
		.execute();
}

/** What a programme has renamed each attendance status to, where it has. */
export async function listStatusLabels(db: Db, programmeId: string) {
	return db.selectFrom('attendance_status_label').select(['status', 'label']).where('programme_id', '=', programmeId).execute();
}

export async function upsertStatusLabels(db: Db, programmeId: string, labels: Record<AttendanceStatus, string>): Promise<void> {
	await db
		.insertInto('attendance_status_label')
		.values(Object.entries(labels).map(([status, label]) => ({ programme_id: programmeId, status: status as AttendanceStatus, label })))
		.onConflict((oc) => oc.columns(['programme_id', 'status']).doUpdateSet({ label: (eb) => eb.ref('excluded.label') }))
		.execute();
}

/**
 * The headcount grid of a session: each school and year group holding places, and any count
 * saved before (kept even if the booking has since gone), with the count saved if any, its
 * version, and who saved it when.
 */
export async function listHeadcounts(db: Db, sessionId: string) {
	const cells = db
		.selectFrom('booking as b')
		.select(['b.school_id', 'b.year_group'])
		.where('b.session_id', '=', sessionId)
		.where(holdsPlaces)
		.union(db.selectFrom('attendance_headcount').select(['school_id', 'year_group']).where('session_id', '=', sessionId));
	return db
		.selectFrom(cells.as('cell'))
		.innerJoin('school', 'school.id', 'cell.school_id')
		.leftJoin('attendance_headcount as h', (join) =>
			join.onRef('h.school_id', '=', 'cell.school_id').onRef('h.year_group', '=', 'cell.year_group').on('h.session_id', '=', sessionId)
		)
		.leftJoin('app_user as counter', 'counter.id', 'h.recorded_by')
		.select(['cell.school_id', 'school.name as school_name', 'cell.year_group', 'h.count', 'h.version', 'h.recorded_at', 'counter.name as recorded_by_name'])
		.orderBy('school.name')
		.orderBy('cell.school_id')
		.orderBy(sql`array_position(array['R','Y1','Y2','Y3','Y4','Y5','Y6','Y7','Y8','Y9','Y10','Y11','Y12','Y13','parents']::text[], cell.year_group)`)
		.execute();
}

export type HeadcountRow = Awaited<ReturnType<typeof listHeadcounts>>[number];

export interface CountRow {
	schoolId: string;
	yearGroup: YearGroup;
	count: number;
}

export async function upsertHeadcounts(db: Db, sessionId: string, counts: CountRow[], recordedBy: string, at: Date): Promise<void> {
	if (counts.length === 0) return;
	await db
		.insertInto('attendance_headcount')
		.values(
			counts.map((c) => ({ session_id: sessionId, school_id: c.schoolId, year_group: c.yearGroup, count: c.count, recorded_by: recordedBy, recorded_at: at }))
		)
		.onConflict((oc) =>
			oc
				.columns(['session_id', 'school_id', 'year_group'])
				.doUpdateSet((eb) => ({
					count: eb.ref('excluded.count'),
					recorded_by: eb.ref('excluded.recorded_by'),
					recorded_at: eb.ref('excluded.recorded_at'),
					version: sql<number>`attendance_headcount.version + 1`
				}))
				.where(sql<boolean>`attendance_headcount.count is distinct from excluded.count`)
		)
		.execute();
}
