import { sql } from 'kysely';
import type { Db } from '../db';

// Everything held about one young person, for a subject access request: read only. Another
// young person (their mentor or mentee) is never named here: their data is not the requester's.

export async function listPairsOfYoungPerson(db: Db, id: string) {
	return db
		.selectFrom('mentoring_pair as p')
		.innerJoin('mentoring_cohort as c', 'c.id', 'p.cohort_id')
		.innerJoin('programme', 'programme.id', 'c.programme_id')
		.select([
			'p.id',
			'programme.name as programme_name',
			'c.academic_year',
			sql<'mentor' | 'mentee'>`case when p.mentor_id = ${id} then 'mentor' else 'mentee' end`.as('role'),
			'p.created_at',
			'p.ended_on',
			'p.end_reason'
		])
		.where((eb) => eb.or([eb('p.mentor_id', '=', id), eb('p.mentee_id', '=', id)]))
		.orderBy('p.created_at')
		.execute();
}

export async function listMeetingsOfYoungPerson(db: Db, id: string) {
	return db
		.selectFrom('mentoring_meeting as m')
		.innerJoin('mentoring_pair as p', 'p.id', 'm.pair_id')
		.select(['m.id', 'm.pair_id', 'm.met_on', 'm.minutes', 'm.topics', 'm.note'])
		.where((eb) => eb.or([eb('p.mentor_id', '=', id), eb('p.mentee_id', '=', id)]))
		.orderBy('m.met_on')
		.orderBy('m.id')
		.execute();
}

export async function listAwardDaysOfYoungPerson(db: Db, id: string) {
	return db
		.selectFrom('award_day as d')
		.innerJoin('award_participant as ap', 'ap.id', 'd.award_participant_id')
		.select(['d.award_participant_id', 'd.day', 'd.challenges'])
		.where('ap.young_person_id', '=', id)
		.orderBy('d.day')
		.execute();
}

export async function listAnswersOfYoungPerson(db: Db, id: string) {
	return db
		.selectFrom('outcome_questionnaire as q')
		.innerJoin('programme', 'programme.id', 'q.programme_id')
		.leftJoin('outcome_answer as a', 'a.questionnaire_id', 'q.id')
		.leftJoin('outcome_question as question', 'question.id', 'a.question_id')
		.select(['q.id as questionnaire_id', 'programme.name as programme_name', 'q.moment', 'q.answered_on', 'question.wording', 'a.score'])
		.where('q.young_person_id', '=', id)
		.orderBy('q.answered_on')
		.orderBy('question.position')
		.execute();
}

/** Audit rows about them: their own record's, and any whose detail names their id. Never the network address (a member of staff's). */
export async function listAuditAboutYoungPerson(db: Db, id: string) {
	return db
		.selectFrom('audit_event')
		.select(['id', 'at', 'action', 'entity_type', 'entity_id', 'detail'])
		.where((eb) => eb.or([eb('entity_id', '=', id), eb(sql`detail::text`, 'like', `%${id}%`)]))
		.orderBy('id')
		.execute();
}
