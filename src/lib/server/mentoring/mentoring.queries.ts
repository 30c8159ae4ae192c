import { sql, type Insertable, type Transaction, type Updateable } from 'kysely';
import type { Db } from '../db';
import type { DB, MentoringMeetingTable, MentoringPairTable, PairEndReason } from '../db/schema';

export async function listCohorts(db: Db, programmeId: string) {
	return db
		.selectFrom('mentoring_cohort')
		.select(['id', 'academic_year', 'max_mentees_per_mentor'])
		.where('programme_id', '=', programmeId)
		.orderBy('academic_year', 'desc')
		.execute();
}

export async function findCohort(db: Db, programmeId: string, cohortId: string) {
	return db
		.selectFrom('mentoring_cohort')
		.select(['id', 'programme_id', 'academic_year', 'max_mentees_per_mentor'])
		.where('programme_id', '=', programmeId)
		.where('id', '=', cohortId)
		.executeTakeFirst();
}

export async function findCohortByYear(db: Db, programmeId: string, academicYear: number) {
	return db.selectFrom('mentoring_cohort').select('id').where('programme_id', '=', programmeId).where('academic_year', '=', academicYear).executeTakeFirst();
}

export async function insertCohort(db: Db, row: { programme_id: string; academic_year: number; max_mentees_per_mentor: number }) {
	return db.insertInto('mentoring_cohort').values(row).returning('id').executeTakeFirstOrThrow();
}

/** Holds the cohort while a pairing is checked and written, so two pairings cannot both take a mentor's last place. */
export async function lockCohort(trx: Transaction<DB>, cohortId: string) {
	return trx.selectFrom('mentoring_cohort').select(['id', 'max_mentees_per_mentor']).where('id', '=', cohortId).forUpdate().executeTakeFirst();
}

/** What pairing needs to know of a young person: never their name. */
export async function findYoungPersonYear(db: Db, id: string) {
	return db.selectFrom('young_person').select(['id', 'school_id', 'reception_year']).where('id', '=', id).where('archived_at', 'is', null).executeTakeFirst();
}

/** Young people (not archived) whose Reception year is one of these, of these schools if given, for the pairing form's choices. */
export async function listYoungPeopleByReceptionYear(db: Db, receptionYears: number[], schoolIds?: string[]) {
	if (schoolIds?.length === 0) return [];
	let query = db.selectFrom('young_person');
	if (schoolIds) query = query.where('young_person.school_id', 'in', schoolIds);
	return query
		.innerJoin('school', 'school.id', 'young_person.school_id')
		.select(['young_person.id', 'young_person.first_name', 'young_person.last_name', 'young_person.reception_year', 'school.name as school_name'])
		.where('young_person.reception_year', 'in', receptionYears)
		.where('young_person.archived_at', 'is', null)
		.orderBy('young_person.last_name')
		.orderBy('young_person.first_name')
		.execute();
}

/** Mentees a mentor has in this cohort now (pairs not ended). */
export async function countMentees(db: Db, cohortId: string, mentorId: string): Promise<number> {
	const row = await db
		.selectFrom('mentoring_pair')
		.select(sql<number>`count(*)::int`.as('count'))
		.where('cohort_id', '=', cohortId)
		.where('mentor_id', '=', mentorId)
		.where('ended_on', 'is', null)
		.executeTakeFirstOrThrow();
	return row.count;
}

/** The mentee's running pair in the cohort: one whose pair ended may be paired again. */
export async function findPairByMentee(db: Db, cohortId: string, menteeId: string) {
	return db
		.selectFrom('mentoring_pair')
		.select('id')
		.where('cohort_id', '=', cohortId)
		.where('mentee_id', '=', menteeId)
		.where('ended_on', 'is', null)
		.executeTakeFirst();
}

/** Whether this young person is a mentor in the cohort, or a mentee in it: one or the other, not both. */
export async function findRoleInCohort(db: Db, cohortId: string, youngPersonId: string) {
	return db
		.selectFrom('mentoring_pair')
		.select(['mentor_id', 'mentee_id'])
		.where('cohort_id', '=', cohortId)
		.where((eb) => eb.or([eb('mentor_id', '=', youngPersonId), eb('mentee_id', '=', youngPersonId)]))
		.executeTakeFirst();
}

export async function insertPair(db: Db, row: Insertable<MentoringPairTable>) {
	return db.insertInto('mentoring_pair').values(row).returning('id').executeTakeFirstOrThrow();
}

/** A pair of a cohort of this programme, with its cohort's academic year. */
export async function findPair(db: Db, programmeId: string, pairId: string) {
	return db
		.selectFrom('mentoring_pair')
		.innerJoin('mentoring_cohort', 'mentoring_cohort.id', 'mentoring_pair.cohort_id')
		.select(['mentoring_pair.id', 'mentoring_pair.cohort_id', 'mentoring_pair.mentee_id', 'mentoring_pair.ended_on', 'mentoring_cohort.academic_year'])
		.where('mentoring_cohort.programme_id', '=', programmeId)
		.where('mentoring_pair.id', '=', pairId)
		.executeTakeFirst();
}

export async function insertMeeting(db: Db, row: Insertable<MentoringMeetingTable>) {
	return db.insertInto('mentoring_meeting').values(row).returning('id').executeTakeFirstOrThrow();
}

/** The cohort's pairs with names, for its lead, and each pair's meetings, total minutes and last meeting. */
export async function listPairs(db: Db, cohortId: string) {
	return db
		.selectFrom('mentoring_pair as pair')
		.innerJoin('young_person as mentor', 'mentor.id', 'pair.mentor_id')
		.innerJoin('young_person as mentee', 'mentee.id', 'pair.mentee_id')
		.innerJoin('school as mentee_school', 'mentee_school.id', 'mentee.school_id')
		.leftJoin('mentoring_meeting as meeting', 'meeting.pair_id', 'pair.id')
		.select([
			'pair.id',
			'pair.mentor_id',
			'pair.mentee_id',
			'pair.ended_on',
			'pair.end_reason',
			'mentor.first_name as mentor_first_name',
			'mentor.last_name as mentor_last_name',
			'mentee.first_name as mentee_first_name',
			'mentee.last_name as mentee_last_name',
			'mentee_school.name as mentee_school_name',
			sql<number>`count(meeting.id)::int`.as('meetings'),
			sql<number>`coalesce(sum(meeting.minutes), 0)::int`.as('minutes'),
			sql<string | null>`max(meeting.met_on)::text`.as('last_met_on')
		])
		.where('pair.cohort_id', '=', cohortId)
		.groupBy(['pair.id', 'mentor.id', 'mentee.id', 'mentee_school.id'])
		.orderBy('mentor.last_name')
		.orderBy('mentor.first_name')
		.orderBy('mentee.last_name')
		.orderBy('mentee.first_name')
		.execute();
}

/**
 * Pairs still running whose mentee has not met their mentor on or after `since` (counting only
 * meetings up to `asOf`); a pair that has never met counts from the day it was made.
 */
export async function listPairsNotMetSince(db: Db, cohortId: string, since: string, asOf: string) {
	return db
		.selectFrom('mentoring_pair as pair')
		.innerJoin('young_person as mentor', 'mentor.id', 'pair.mentor_id')
		.innerJoin('young_person as mentee', 'mentee.id', 'pair.mentee_id')
		.innerJoin('school as mentee_school', 'mentee_school.id', 'mentee.school_id')
		.leftJoin('mentoring_meeting as meeting', (join) => join.onRef('meeting.pair_id', '=', 'pair.id').on('meeting.met_on', '<=', sql<string>`${asOf}::date`))
		.select([
			'pair.id',
			'pair.mentee_id',
			'mentor.first_name as mentor_first_name',
			'mentor.last_name as mentor_last_name',
			'mentee.first_name as mentee_first_name',
			'mentee.last_name as mentee_last_name',
			'mentee_school.name as mentee_school_name',
			sql<string | null>`max(meeting.met_on)::text`.as('last_met_on')
		])
		.where('pair.cohort_id', '=', cohortId)
		.where('pair.ended_on', 'is', null)
		.groupBy(['pair.id', 'mentor.id', 'mentee.id', 'mentee_school.id'])
		.having(sql<boolean>`coalesce(max(meeting.met_on), (pair.created_at at time zone 'Europe/London')::date) <= ${since}::date`)
		.orderBy('mentee.last_name')
		.orderBy('mentee.first_name')
		.execute();
}

/** A pair of a cohort of this programme with its names and the mentee's school, for the pair's own page. */
export async function findPairDetail(db: Db, programmeId: string, pairId: string) {
	return db
		.selectFrom('mentoring_pair as pair')
		.innerJoin('mentoring_cohort as cohort', 'cohort.id', 'pair.cohort_id')
		.innerJoin('young_person as mentor', 'mentor.id', 'pair.mentor_id')
		.innerJoin('young_person as mentee', 'mentee.id', 'pair.mentee_id')
		.innerJoin('school as mentee_school', 'mentee_school.id', 'mentee.school_id')
		.select([
			'pair.id',
			'pair.cohort_id',
			'pair.ended_on',
			'pair.end_reason',
			'cohort.academic_year',
			'mentor.first_name as mentor_first_name',
			'mentor.last_name as mentor_last_name',
			'mentee.first_name as mentee_first_name',
			'mentee.last_name as mentee_last_name',
			'mentee_school.name as mentee_school_name'
		])
		.where('cohort.programme_id', '=', programmeId)
		.where('pair.id', '=', pairId)
		.executeTakeFirst();
}

/** Ends a pair still running; undefined when it had ended already (another lead got there first). */
export async function endPair(db: Db, pairId: string, endedOn: string, reason: PairEndReason) {
	return db
		.updateTable('mentoring_pair')
		.set({ ended_on: endedOn, end_reason: reason })
		.where('id', '=', pairId)
		.where('ended_on', 'is', null)
		.returning('id')
		.executeTakeFirst();
}

/** A pair's meetings, latest first. */
export async function listMeetings(db: Db, pairId: string) {
	return db
		.selectFrom('mentoring_meeting')
		.select(['id', 'met_on', 'minutes', 'topics', 'note'])
		.where('pair_id', '=', pairId)
		.orderBy('met_on', 'desc')
		.orderBy('created_at', 'desc')
		.execute();
}

/** A meeting of a pair of this programme, with what its page and its checks need of the pair. */
export async function findMeeting(db: Db, programmeId: string, meetingId: string) {
	return db
		.selectFrom('mentoring_meeting as meeting')
		.innerJoin('mentoring_pair as pair', 'pair.id', 'meeting.pair_id')
		.innerJoin('mentoring_cohort as cohort', 'cohort.id', 'pair.cohort_id')
		.innerJoin('young_person as mentor', 'mentor.id', 'pair.mentor_id')
		.innerJoin('young_person as mentee', 'mentee.id', 'pair.mentee_id')
		.select([
			'meeting.id',
			'meeting.pair_id',
			'meeting.met_on',
			'meeting.minutes',
			'meeting.topics',
			'meeting.note',
			'pair.cohort_id',
			'pair.mentee_id',
			'pair.ended_on',
			'cohort.academic_year',
			'mentor.first_name as mentor_first_name',
			'mentor.last_name as mentor_last_name',
			'mentee.first_name as mentee_first_name',
			'mentee.last_name as mentee_last_name'
		])
		.where('cohort.programme_id', '=', programmeId)
		.where('meeting.id', '=', meetingId)
		.executeTakeFirst();
}

/** A meeting as saved now, its row locked until the transaction ends: corrections of it then queue behind each other. */
export async function lockMeeting(db: Db, meetingId: string) {
	return db.selectFrom('mentoring_meeting').select(['met_on', 'minutes', 'topics', 'note']).where('id', '=', meetingId).forUpdate().executeTakeFirst();
}

export async function updateMeeting(db: Db, meetingId: string, row: Updateable<MentoringMeetingTable>) {
	return db.updateTable('mentoring_meeting').set(row).where('id', '=', meetingId).returning('id').executeTakeFirst();
}

export async function deleteMeeting(db: Db, meetingId: string) {
	return db.deleteFrom('mentoring_meeting').where('id', '=', meetingId).returning('id').executeTakeFirst();
}
