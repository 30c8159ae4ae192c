import { sql, type Insertable, type Transaction } from 'kysely';
import type { Db } from '../db';
import type { AwardChallenge, AwardGroupTable, AwardLevelCode, DB } from '../db/schema';

export async function listAwardGroups(db: Db, programmeId: string) {
	return db
		.selectFrom('award_group')
		.leftJoin('award_participant', 'award_participant.award_group_id', 'award_group.id')
		.select([
			'award_group.id',
			'award_group.name',
			'award_group.leader_name',
			'award_group.trust_reference',
			'award_group.created_at',
			sql<number>`count(award_participant.id)::int`.as('participants'),
			sql<number>`count(award_participant.achieved_on)::int`.as('achieved')
		])
		.where('award_group.programme_id', '=', programmeId)
		.groupBy('award_group.id')
		.orderBy('award_group.created_at', 'desc')
		.orderBy('award_group.name')
		.execute();
}

export async function findAwardGroup(db: Db, programmeId: string, groupId: string) {
	return db
		.selectFrom('award_group')
		.select(['id', 'programme_id', 'name', 'leader_name', 'trust_reference', 'created_at'])
		.where('id', '=', groupId)
		.where('programme_id', '=', programmeId)
		.executeTakeFirst();
}

export async function findAwardGroupByName(db: Db, programmeId: string, name: string) {
	return db
		.selectFrom('award_group')
		.select('id')
		.where('programme_id', '=', programmeId)
		.where(sql<boolean>`lower(name) = lower(${name})`)
		.executeTakeFirst();
}

export async function insertAwardGroup(db: Db, row: Insertable<AwardGroupTable>) {
	return db.insertInto('award_group').values(row).returning('id').executeTakeFirstOrThrow();
}

export async function listAwardLevels(db: Db, programmeId: string) {
	return db.selectFrom('award_level').select(['code', 'label']).where('programme_id', '=', programmeId).execute();
}

export async function upsertAwardLevels(db: Db, programmeId: string, labels: Record<AwardLevelCode, string>) {
	await db
		.insertInto('award_level')
		.values(Object.entries(labels).map(([code, label]) => ({ programme_id: programmeId, code: code as AwardLevelCode, label })))
		.onConflict((oc) => oc.columns(['programme_id', 'code']).doUpdateSet({ label: (eb) => eb.ref('excluded.label') }))
		.execute();
}

/** A group's participants with the names a lead needs to see them by, and who signed them off. */
export async function listParticipants(db: Db, groupId: string) {
	return db
		.selectFrom('award_participant')
		.innerJoin('young_person', 'young_person.id', 'award_participant.young_person_id')
		.innerJoin('school', 'school.id', 'young_person.school_id')
		.leftJoin('app_user', 'app_user.id', 'award_participant.signed_off_by')
		.select([
			'award_participant.id',
			'award_participant.young_person_id',
			'award_participant.level',
			'award_participant.achieved_on',
			'award_participant.signed_off_at',
			'young_person.first_name',
			'young_person.last_name',
			'school.name as school_name',
			'app_user.name as signed_off_by_name'
		])
		.where('award_participant.award_group_id', '=', groupId)
		.orderBy('young_person.last_name')
		.orderBy('young_person.first_name')
		.execute();
}

/** A participant who is this young person, of this school: for the school's own copy of a certificate. */
export async function findParticipantOfSchool(db: Db, participantId: string, youngPersonId: string, schoolId: string) {
	return db
		.selectFrom('award_participant')
		.innerJoin('young_person', 'young_person.id', 'award_participant.young_person_id')
		.innerJoin('award_group', 'award_group.id', 'award_participant.award_group_id')
		.select([
			'award_participant.id',
			'award_participant.level',
			'award_participant.achieved_on',
			'young_person.first_name',
			'young_person.last_name',
			'award_group.id as group_id',
			'award_group.name as group_name',
			'award_group.programme_id'
		])
		.where('award_participant.id', '=', participantId)
		.where('award_participant.young_person_id', '=', youngPersonId)
		.where('young_person.school_id', '=', schoolId)
		.executeTakeFirst();
}

export async function findParticipant(db: Db, groupId: string, participantId: string) {
	return db
		.selectFrom('award_participant')
		.innerJoin('young_person', 'young_person.id', 'award_participant.young_person_id')
		.select([
			'award_participant.id',
			'award_participant.young_person_id',
			'award_participant.level',
			'award_participant.achieved_on',
			'young_person.first_name',
			'young_person.last_name'
		])
		.where('award_participant.id', '=', participantId)
		.where('award_participant.award_group_id', '=', groupId)
		.executeTakeFirst();
}

/** Holds the participant's row until the transaction ends: a sign-off checks the days it then records against. */
export async function lockParticipant(trx: Transaction<DB>, participantId: string) {
	return trx.selectFrom('award_participant').select(['id', 'level', 'achieved_on']).where('id', '=', participantId).forUpdate().executeTakeFirst();
}

export async function insertParticipant(db: Db, row: { award_group_id: string; young_person_id: string; level: AwardLevelCode }) {
	return db
		.insertInto('award_participant')
		.values(row)
		.onConflict((oc) => oc.columns(['award_group_id', 'young_person_id']).doNothing())
		.returning('id')
		.executeTakeFirst();
}

export async function updateSignOff(db: Db, participantId: string, signedOffBy: string, achievedOn: string, at: Date) {
	await db
		.updateTable('award_participant')
		.set({ signed_off_by: signedOffBy, signed_off_at: at, achieved_on: achievedOn })
		.where('id', '=', participantId)
		.execute();
}

export async function listDaysOfGroup(db: Db, groupId: string) {
	return db
		.selectFrom('award_day')
		.innerJoin('award_participant', 'award_participant.id', 'award_day.award_participant_id')
		.select(['award_day.award_participant_id', 'award_day.day', 'award_day.challenges'])
		.where('award_participant.award_group_id', '=', groupId)
		.orderBy('award_day.day')
		.execute();
}

/** Holds the group while days logged on a device are checked and written: a batch sent twice at once is applied once. */
export async function lockAwardGroup(trx: Transaction<DB>, groupId: string) {
	return trx.selectFrom('award_group').select('id').where('id', '=', groupId).forUpdate().executeTakeFirst();
}

/** The group's days with each one's version and who logged it last: what a day logged on a device is checked against. */
export async function listDayVersionsOfGroup(db: Db, groupId: string) {
	return db
		.selectFrom('award_day')
		.innerJoin('award_participant', 'award_participant.id', 'award_day.award_participant_id')
		.innerJoin('app_user', 'app_user.id', 'award_day.recorded_by')
		.select(['award_day.award_participant_id', 'award_day.day', 'award_day.challenges', 'award_day.version', 'app_user.name as recorded_by_name'])
		.where('award_participant.award_group_id', '=', groupId)
		.orderBy('award_day.day')
		.execute();
}

/**
 * Logs a day, or changes the one logged, only if it is still as the device saw it: none yet
 * (`basedOn` null) or at version `basedOn`. Returns whether it was written; false when someone
 * else logged or changed the day first.
 */
export async function saveDayBasedOn(
	db: Db,
	row: { award_participant_id: string; day: string; challenges: AwardChallenge[]; recorded_by: string },
	basedOn: number | null
): Promise<boolean> {
	if (basedOn === null) {
		const inserted = await db
			.insertInto('award_day')
			.values(row)
			.onConflict((oc) => oc.columns(['award_participant_id', 'day']).doNothing())
			.returning('id')
			.executeTakeFirst();
		return inserted !== undefined;
	}
	const updated = await db
		.updateTable('award_day')
		.set({ challenges: row.challenges, recorded_by: row.recorded_by, version: sql<number>`version + 1` })
		.where('award_participant_id', '=', row.award_participant_id)
		.where('day', '=', row.day)
		.where('version', '=', basedOn)
		.returning('id')
		.executeTakeFirst();
	return updated !== undefined;
}

export async function listDaysOfParticipant(db: Db, participantId: string) {
	return db.selectFrom('award_day').select(['day', 'challenges']).where('award_participant_id', '=', participantId).orderBy('day').execute();
}

/** One row per day: logging a day again replaces that day's challenges and raises its version. Returns whether it was new. */
export async function upsertDay(db: Db, row: { award_participant_id: string; day: string; challenges: AwardChallenge[]; recorded_by: string }) {
	const result = await db
		.insertInto('award_day')
		.values(row)
		.onConflict((oc) =>
			oc.columns(['award_participant_id', 'day']).doUpdateSet({
				challenges: (eb) => eb.ref('excluded.challenges'),
				recorded_by: (eb) => eb.ref('excluded.recorded_by'),
				version: sql<number>`award_day.version + 1`
			})
		)
		.returning(sql<boolean>`xmax = 0`.as('inserted'))
		.executeTakeFirstOrThrow();
	return result.inserted;
}

/**
 * Young people a lead may add to a group: those enrolled in the programme or marked at one of
 * its sessions, not archived and not already in the group. Nobody else's name is shown.
 */
export async function listParticipantCandidates(db: Db, programmeId: string, groupId: string) {
	return db
		.selectFrom('young_person')
		.innerJoin('school', 'school.id', 'young_person.school_id')
		.select(['young_person.id', 'young_person.first_name', 'young_person.last_name', 'young_person.reception_year', 'school.name as school_name'])
		.where('young_person.archived_at', 'is', null)
		.where((eb) =>
			eb.or([
				eb.exists(
					eb
						.selectFrom('enrolment')
						.select(sql`1`.as('one'))
						.whereRef('enrolment.young_person_id', '=', 'young_person.id')
						.where('enrolment.programme_id', '=', programmeId)
				),
				eb.exists(
					eb
						.selectFrom('attendance_mark')
						.innerJoin('programme_session', 'programme_session.id', 'attendance_mark.session_id')
						.select(sql`1`.as('one'))
						.whereRef('attendance_mark.young_person_id', '=', 'young_person.id')
						.where('programme_session.programme_id', '=', programmeId)
				)
			])
		)
		.where((eb) =>
			eb.not(
				eb.exists(
					eb
						.selectFrom('award_participant')
						.select(sql`1`.as('one'))
						.whereRef('award_participant.young_person_id', '=', 'young_person.id')
						.where('award_participant.award_group_id', '=', groupId)
				)
			)
		)
		.orderBy('young_person.last_name')
		.orderBy('young_person.first_name')
		.execute();
}
