import { sql, type ExpressionBuilder } from 'kysely';
import type { Db } from '../db';
import type { DB } from '../db/schema';

// The SQL of reach: which schools and young people a programme lead may keep. The rules
// themselves are in policy.ts; here only what they ask of the database.
//
// A lead's schools are those with a booking that counts for reach, at a session of a programme
// they lead: not cancelled, and made by the school's own contact or approved by an admin. A
// booking made on the school's behalf (by a lead) widens nothing until an admin approves it.
// Beyond those schools, a lead reaches the young people an admin enrolled in one of their
// programmes (enrolments made before makers were recorded count as an admin's), and those
// marked on one of their programmes' registers, which list only young people already in reach.

/** The condition on `booking` for a booking that gives reach over its school. */
export function countsForReach(eb: ExpressionBuilder<DB, 'booking'>) {
	return eb.and([eb('booking.status', '<>', 'cancelled'), eb.or([eb('booking.on_behalf', '=', false), eb('booking.approved_at', 'is not', null)])]);
}

function reachingBookings(db: Db, leadId: string) {
	return db
		.selectFrom('booking')
		.innerJoin('programme_session', 'programme_session.id', 'booking.session_id')
		.innerJoin('programme_lead', 'programme_lead.programme_id', 'programme_session.programme_id')
		.where('programme_lead.user_id', '=', leadId)
		.where(countsForReach);
}

/** Whether this school holds a booking that counts for reach at a session of a programme the lead leads. */
export async function leadReachesSchool(db: Db, leadId: string, schoolId: string): Promise<boolean> {
	const row = await reachingBookings(db, leadId).select('booking.id').where('booking.school_id', '=', schoolId).limit(1).executeTakeFirst();
	return Boolean(row);
}

/** The active schools a lead reaches (see leadReachesSchool), by name. */
export async function listLeadSchools(db: Db, leadId: string) {
	return db
		.selectFrom('school')
		.select(['school.id', 'school.name'])
		.where('school.active', '=', true)
		.where('school.id', 'in', reachingBookings(db, leadId).select('booking.school_id'))
		.orderBy('school.name')
		.execute();
}

/** Whether the young person was enrolled by an admin in, or has a mark on a register of, a programme the lead leads. */
export async function leadReachesYoungPerson(db: Db, leadId: string, youngPersonId: string): Promise<boolean> {
	const enrolled = db
		.selectFrom('enrolment')
		.innerJoin('programme_lead', 'programme_lead.programme_id', 'enrolment.programme_id')
		.leftJoin('app_user as maker', 'maker.id', 'enrolment.created_by')
		.select('enrolment.young_person_id as id')
		.where('programme_lead.user_id', '=', leadId)
		.where('enrolment.young_person_id', '=', youngPersonId)
		.where((eb) => eb.or([eb('enrolment.created_by', 'is', null), eb('maker.role', '=', 'admin')]));
	const marked = db
		.selectFrom('attendance_mark')
		.innerJoin('programme_session', 'programme_session.id', 'attendance_mark.session_id')
		.innerJoin('programme_lead', 'programme_lead.programme_id', 'programme_session.programme_id')
		.select('attendance_mark.young_person_id as id')
		.where('programme_lead.user_id', '=', leadId)
		.where('attendance_mark.young_person_id', '=', youngPersonId);
	const row = await enrolled.unionAll(marked).limit(1).executeTakeFirst();
	return Boolean(row);
}

/** Whether the user leads the programme. */
export async function isProgrammeLead(db: Db, programmeId: string, userId: string): Promise<boolean> {
	const row = await db.selectFrom('programme_lead').select('user_id').where('programme_id', '=', programmeId).where('user_id', '=', userId).executeTakeFirst();
	return Boolean(row);
}

/** Whether the school holds any booking, cancelled or not, at the session. */
export async function schoolHasBookedSession(db: Db, sessionId: string, schoolId: string): Promise<boolean> {
	const row = await db
		.selectFrom('booking')
		.select(sql`1`.as('one'))
		.where('session_id', '=', sessionId)
		.where('school_id', '=', schoolId)
		.limit(1)
		.executeTakeFirst();
	return Boolean(row);
}

/** The phase of a school, to know which sessions its contact may see. */
export async function findSchoolPhase(db: Db, schoolId: string) {
	return db.selectFrom('school').select(['id', 'phase', 'active']).where('id', '=', schoolId).executeTakeFirst();
}
