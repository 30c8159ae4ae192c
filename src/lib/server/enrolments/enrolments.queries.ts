import { sql, type Insertable, type Updateable } from 'kysely';
import type { Db } from '../db';
import type { EnrolmentStage, EnrolmentTable } from '../db/schema';

const enrolmentColumns = [
	'enrolment.id',
	'enrolment.young_person_id',
	'enrolment.role',
	'enrolment.stage',
	'enrolment.started_on',
	'enrolment.ended_on',
	'young_person.first_name',
	'young_person.last_name',
	'young_person.reception_year',
	'young_person.archived_at',
	'young_person.school_id',
	'school.name as school_name'
] as const;

/** A programme's enrolments, at one stage or all, by school and then last and first name. */
export async function listEnrolmentsOfProgramme(db: Db, programmeId: string, stage?: EnrolmentStage) {
	return db
		.selectFrom('enrolment')
		.innerJoin('young_person', 'young_person.id', 'enrolment.young_person_id')
		.innerJoin('school', 'school.id', 'young_person.school_id')
		.select(enrolmentColumns)
		.where('enrolment.programme_id', '=', programmeId)
		.$if(stage !== undefined, (qb) => qb.where('enrolment.stage', '=', stage!))
		.orderBy('school.name')
		.orderBy('school.id')
		.orderBy(sql`lower(young_person.last_name)`)
		.orderBy(sql`lower(young_person.first_name)`)
		.orderBy('enrolment.id')
		.execute();
}

export async function countEnrolmentsByStage(db: Db, programmeId: string) {
	return db
		.selectFrom('enrolment')
		.select(['stage', sql<number>`count(*)::int`.as('count')])
		.where('programme_id', '=', programmeId)
		.groupBy('stage')
		.execute();
}

export async function findEnrolment(db: Db, programmeId: string, enrolmentId: string) {
	return db
		.selectFrom('enrolment')
		.innerJoin('young_person', 'young_person.id', 'enrolment.young_person_id')
		.innerJoin('school', 'school.id', 'young_person.school_id')
		.select(enrolmentColumns)
		.where('enrolment.programme_id', '=', programmeId)
		.where('enrolment.id', '=', enrolmentId)
		.executeTakeFirst();
}

/** A young person's enrolment in the programme, if they have one (one at most). */
export async function findEnrolmentOf(db: Db, programmeId: string, youngPersonId: string) {
	return db
		.selectFrom('enrolment')
		.select(['id', 'role', 'stage'])
		.where('programme_id', '=', programmeId)
		.where('young_person_id', '=', youngPersonId)
		.executeTakeFirst();
}

/**
 * Inserts an enrolment. A young person is in a programme once: when they already are, `skip`
 * inserts nothing and answers undefined; `throw` lets the unique violation end the transaction
 * (for a caller that has checked under a lock and treats a clash as a fault).
 */
export async function insertEnrolment(db: Db, row: Insertable<EnrolmentTable>, options: { ifEnrolled: 'throw' }): Promise<{ id: string }>;
export async function insertEnrolment(db: Db, row: Insertable<EnrolmentTable>, options: { ifEnrolled: 'skip' }): Promise<{ id: string } | undefined>;
export async function insertEnrolment(db: Db, row: Insertable<EnrolmentTable>, options: { ifEnrolled: 'skip' | 'throw' }) {
	return db
		.insertInto('enrolment')
		.values(row)
		.$if(options.ifEnrolled === 'skip', (qb) => qb.onConflict((oc) => oc.columns(['programme_id', 'young_person_id']).doNothing()))
		.returning('id')
		.executeTakeFirst();
}

/** An enrolment's stage as saved now, its row locked until the transaction ends: changes of it then queue behind each other. */
export async function lockEnrolment(db: Db, id: string) {
	return db.selectFrom('enrolment').select(['stage', 'ended_on', 'updated_at']).where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function updateEnrolment(db: Db, id: string, changes: Updateable<EnrolmentTable>) {
	await db
		.updateTable('enrolment')
		.set({ ...changes, updated_at: new Date() })
		.where('id', '=', id)
		.execute();
}

/**
 * A school's current young people (not archived, not yet past Year 13) who are not in the
 * programme yet: the choices of the enrol form.
 */
export async function listEnrolCandidates(db: Db, programmeId: string, schoolId: string, minReceptionYear: number) {
	return db
		.selectFrom('young_person')
		.select(['young_person.id', 'young_person.first_name', 'young_person.last_name', 'young_person.reception_year'])
		.where('young_person.school_id', '=', schoolId)
		.where('young_person.archived_at', 'is', null)
		.where('young_person.reception_year', '>=', minReceptionYear)
		.where(({ not, exists, selectFrom }) =>
			not(
				exists(
					selectFrom('enrolment')
						.select(sql`1`.as('one'))
						.whereRef('enrolment.young_person_id', '=', 'young_person.id')
						.where('enrolment.programme_id', '=', programmeId)
				)
			)
		)
		.orderBy(sql`lower(young_person.last_name)`)
		.orderBy(sql`lower(young_person.first_name)`)
		.orderBy('young_person.id')
		.execute();
}

/** A current young person of this school, for checking the enrol form's choice. */
export async function findCurrentYoungPersonOfSchool(db: Db, schoolId: string, youngPersonId: string, minReceptionYear: number) {
	return db
		.selectFrom('young_person')
		.select(['id', 'reception_year'])
		.where('id', '=', youngPersonId)
		.where('school_id', '=', schoolId)
		.where('archived_at', 'is', null)
		.where('reception_year', '>=', minReceptionYear)
		.executeTakeFirst();
}
