import { sql, type Insertable, type Transaction, type Updateable } from 'kysely';
import type { Db } from '../db';
import { PREPARED } from '../db/prepared';
import { isWholeMonths } from '../reports/periods';
import type { DB, OutcomeCounts, OutcomeMoment, OutcomeQuestionnaireTable, OutcomeQuestionTable } from '../db/schema';

/** Which answers an outcome summary counts (see outcomes.summary.ts). */
export interface OutcomeFilter {
	/** YYYY-MM-DD, inclusive. */
	from: string;
	/** YYYY-MM-DD, inclusive. */
	to: string;
	programmeIds?: readonly string[];
	schoolIds?: readonly string[];
	/** One row per school as well as per programme and question. */
	bySchool?: boolean;
}

// ---- Question sets ----

/** A programme's questions, the ones in use first in their order, then the retired ones, with how many answers each has. */
export async function listQuestions(db: Db, programmeId: string) {
	return db
		.selectFrom('outcome_question as q')
		.select(['q.id', 'q.position', 'q.wording', 'q.retired_at', 'q.replaces_id'])
		.select(sql<number>`(select count(*)::int from outcome_answer a where a.question_id = q.id)`.as('answers'))
		.where('q.programme_id', '=', programmeId)
		.orderBy(sql`q.retired_at is not null`)
		.orderBy('q.position')
		.orderBy('q.created_at')
		.execute();
}

/** The questions young people are asked now, in order. */
export async function listActiveQuestions(db: Db, programmeId: string) {
	return db
		.selectFrom('outcome_question')
		.select(['id', 'position', 'wording'])
		.where('programme_id', '=', programmeId)
		.where('retired_at', 'is', null)
		.orderBy('position')
		.orderBy('created_at')
		.execute();
}

/** The statement in use that took the place of a reworded one (`id`), if there is one. */
export async function findReplacement(db: Db, programmeId: string, id: string) {
	return db
		.selectFrom('outcome_question')
		.select(['id', 'position', 'wording', 'retired_at'])
		.where('programme_id', '=', programmeId)
		.where('replaces_id', '=', id)
		.where('retired_at', 'is', null)
		.executeTakeFirst();
}

export async function findQuestion(db: Db, programmeId: string, id: string) {
	return db
		.selectFrom('outcome_question')
		.select(['id', 'position', 'wording', 'retired_at'])
		.where('programme_id', '=', programmeId)
		.where('id', '=', id)
		.executeTakeFirst();
}

export async function countAnswers(db: Db, questionId: string): Promise<number> {
	const row = await db
		.selectFrom('outcome_answer')
		.select(sql<number>`count(*)::int`.as('n'))
		.where('question_id', '=', questionId)
		.executeTakeFirstOrThrow();
	return row.n;
}

/** Holds the programme while its question set is renumbered, so two leads' changes queue. */
export async function lockProgramme(trx: Transaction<DB>, programmeId: string) {
	return trx.selectFrom('programme').select('id').where('id', '=', programmeId).forUpdate().executeTakeFirst();
}

export async function nextPosition(db: Db, programmeId: string): Promise<number> {
	const row = await db
		.selectFrom('outcome_question')
		.select(sql<number>`coalesce(max(position), 0)::int + 1`.as('next'))
		.where('programme_id', '=', programmeId)
		.executeTakeFirstOrThrow();
	return row.next;
}

export async function insertQuestion(db: Db, row: Insertable<OutcomeQuestionTable>) {
	return db.insertInto('outcome_question').values(row).returning('id').executeTakeFirstOrThrow();
}

export async function updateQuestion(db: Db, id: string, changes: Updateable<OutcomeQuestionTable>) {
	await db.updateTable('outcome_question').set(changes).where('id', '=', id).execute();
}

// ---- Who and where ----

/** Schools holding places at a session (confirmed bookings, and waitlisted ones granted some), by name. */
export async function listBookedSchools(db: Db, sessionId: string) {
	return db
		.selectFrom('school')
		.select(['school.id', 'school.name'])
		.where((eb) =>
			eb.exists(
				eb
					.selectFrom('booking as b')
					.select(sql`1`.as('one'))
					.whereRef('b.school_id', '=', 'school.id')
					.where('b.session_id', '=', sessionId)
					.where(sql<boolean>`(b.status = 'confirmed' or (b.status = 'waitlisted' and b.confirmed_places > 0))`)
			)
		)
		.orderBy('school.name')
		.execute();
}

export async function listActiveSchools(db: Db) {
	return db.selectFrom('school').select(['id', 'name']).where('active', '=', true).orderBy('name').execute();
}

const enrolledStages = ['enrolled', 'active', 'completed'] as const;

/** Young people enrolled in the programme (not withdrawn, not archived), for its lead to choose from. */
export async function listEnrolledYoungPeople(db: Db, programmeId: string) {
	return db
		.selectFrom('enrolment as e')
		.innerJoin('young_person as yp', 'yp.id', 'e.young_person_id')
		.innerJoin('school', 'school.id', 'yp.school_id')
		.select(['yp.id', 'yp.first_name', 'yp.last_name', 'yp.school_id', 'school.name as school_name'])
		.where('e.programme_id', '=', programmeId)
		.where('e.stage', 'in', enrolledStages)
		.where('yp.archived_at', 'is', null)
		.orderBy(sql`lower(yp.last_name)`)
		.orderBy(sql`lower(yp.first_name)`)
		.orderBy('yp.id')
		.execute();
}

export async function findEnrolledYoungPerson(db: Db, programmeId: string, youngPersonId: string) {
	return db
		.selectFrom('enrolment as e')
		.innerJoin('young_person as yp', 'yp.id', 'e.young_person_id')
		.select(['yp.id', 'yp.school_id'])
		.where('e.programme_id', '=', programmeId)
		.where('e.young_person_id', '=', youngPersonId)
		.where('e.stage', 'in', enrolledStages)
		.where('yp.archived_at', 'is', null)
		.executeTakeFirst();
}

// ---- Session codes ----

/** The session's code that is open now, if any. */
export async function findOpenCode(db: Db, sessionId: string, now: Date) {
	return db
		.selectFrom('outcome_session_code')
		.select(['id', 'code', 'opened_at', 'expires_at'])
		.where('session_id', '=', sessionId)
		.where('closed_at', 'is', null)
		.where('expires_at', '>', now)
		.orderBy('opened_at', 'desc')
		.executeTakeFirst();
}

export async function findCodeForSession(db: Db, sessionId: string, codeId: string) {
	return db
		.selectFrom('outcome_session_code')
		.select(['id', 'closed_at', 'expires_at'])
		.where('session_id', '=', sessionId)
		.where('id', '=', codeId)
		.executeTakeFirst();
}

/** A code with what the public form needs of its session: nothing beyond the programme's name and the date. */
export async function findCodeByText(db: Db, code: string) {
	return db
		.selectFrom('outcome_session_code as c')
		.innerJoin('programme_session as s', 's.id', 'c.session_id')
		.innerJoin('programme as p', 'p.id', 's.programme_id')
		.select(['c.id', 'c.session_id', 'c.expires_at', 'c.closed_at', 's.programme_id', 's.starts_at', 's.status', 's.capacity', 'p.name as programme_name'])
		.where('c.code', '=', code)
		.executeTakeFirst();
}

export async function codeTaken(db: Db, code: string): Promise<boolean> {
	return Boolean(await db.selectFrom('outcome_session_code').select('id').where('code', '=', code).executeTakeFirst());
}

export async function insertCode(db: Db, row: { session_id: string; code: string; opened_by: string; opened_at: Date; expires_at: Date }) {
	return db.insertInto('outcome_session_code').values(row).returning('id').executeTakeFirstOrThrow();
}

export async function closeCode(db: Db, id: string, closedBy: string, at: Date) {
	await db.updateTable('outcome_session_code').set({ closed_at: at, closed_by: closedBy }).where('id', '=', id).where('closed_at', 'is', null).execute();
}

/** Holds a code while a questionnaire given with it is counted and saved. */
export async function lockCode(trx: Transaction<DB>, id: string) {
	return trx.selectFrom('outcome_session_code').select(['id', 'closed_at', 'expires_at']).where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function countQuestionnairesWithCode(db: Db, codeId: string): Promise<number> {
	const row = await db
		.selectFrom('outcome_questionnaire')
		.select(sql<number>`count(*)::int`.as('n'))
		.where('session_code_id', '=', codeId)
		.executeTakeFirstOrThrow();
	return row.n;
}

// ---- Questionnaires ----

/**
 * Questionnaires already given under this matching code in its scope: at the session, or
 * (without a session) in the programme's academic year.
 */
export async function listCodeQuestionnaires(db: Db, scope: { sessionId: string | null; programmeId: string; academicYear: number }, matchingCode: string) {
	let query = db.selectFrom('outcome_questionnaire').select(['id', 'moment', 'school_id']).where('matching_code', '=', matchingCode);
	query = scope.sessionId
		? query.where('session_id', '=', scope.sessionId)
		: query.where('session_id', 'is', null).where('programme_id', '=', scope.programmeId).where('academic_year', '=', scope.academicYear);
	return query.execute();
}

export async function findNamedQuestionnaire(db: Db, programmeId: string, academicYear: number, youngPersonId: string, moment: OutcomeMoment) {
	return db
		.selectFrom('outcome_questionnaire')
		.select('id')
		.where('programme_id', '=', programmeId)
		.where('academic_year', '=', academicYear)
		.where('young_person_id', '=', youngPersonId)
		.where('moment', '=', moment)
		.executeTakeFirst();
}

export async function insertQuestionnaire(db: Db, row: Insertable<OutcomeQuestionnaireTable>) {
	return db.insertInto('outcome_questionnaire').values(row).returning('id').executeTakeFirstOrThrow();
}

export async function insertAnswers(db: Db, questionnaireId: string, answers: { questionId: string; score: number }[]) {
	await db
		.insertInto('outcome_answer')
		.values(answers.map((a) => ({ questionnaire_id: questionnaireId, question_id: a.questionId, score: a.score })))
		.execute();
}

/** How many questionnaires a session has at each moment, and how many people (or codes) have both. */
export async function countSessionQuestionnaires(db: Db, sessionId: string) {
	const row = await db
		.selectFrom('outcome_questionnaire')
		.select([
			sql<number>`count(*) filter (where moment = 'before')::int`.as('before'),
			sql<number>`count(*) filter (where moment = 'after')::int`.as('after'),
			sql<number>`(count(distinct coalesce(young_person_id::text, matching_code)) filter (where moment = 'before')
				+ count(distinct coalesce(young_person_id::text, matching_code)) filter (where moment = 'after')
				- count(distinct coalesce(young_person_id::text, matching_code)))::int`.as('matched')
		])
		.where('session_id', '=', sessionId)
		.executeTakeFirstOrThrow();
	return row;
}

// ---- The public form's throttle ----

export async function insertCodeFailure(db: Db, address: string, at: Date): Promise<number> {
	const row = await db.insertInto('outcome_code_failure').values({ address, at }).returning('id').executeTakeFirstOrThrow();
	return row.id;
}

export async function deleteCodeFailure(db: Db, id: number) {
	await db.deleteFrom('outcome_code_failure').where('id', '=', id).execute();
}

/** The time of the `n`th most recent failure from this address since `since`, if there are that many. */
export async function nthRecentFailure(db: Db, address: string, since: Date, n: number) {
	const row = await db
		.selectFrom('outcome_code_failure')
		.select('at')
		.where('address', '=', address)
		.where('at', '>', since)
		.orderBy('at', 'desc')
		.offset(n - 1)
		.limit(1)
		.executeTakeFirst();
	return row?.at;
}

export async function pruneCodeFailures(db: Db, before: Date) {
	await db.deleteFrom('outcome_code_failure').where('at', '<', before).execute();
}

// ---- Outcomes (see outcomes.summary.ts for what is counted, and how) ----

export interface OutcomeRow extends OutcomeCounts {
	programme_id: string;
	programme_name: string;
	question_id: string;
	position: number;
	wording: string;
	retired: boolean;
	school_id: string | null;
	school_name: string | null;
}

/** Before-and-after counts by programme and question (and school), for `outcomeSummaries`. */
export async function listOutcomeRows(db: Db, filter: OutcomeFilter): Promise<OutcomeRow[]> {
	const { rows } = await sql<OutcomeRow>`${PREPARED} ${outcomeRowsStatement(filter)}`.execute(db);
	return rows;
}

/**
 * `listOutcomeRows`'s statement, sorted as its rows come: for reading with others in one
 * statement. It reads the outcomes rollup (migration 20261210T0100), which triggers keep as
 * answers change: each person's answers to a statement paired, and added up by day and school.
 * Whole months for every school (the district's periods) are read from those sums by month
 * (migration 20261211T0100): a year is about a hundred rows instead of thousands.
 */
export function outcomeRowsStatement(filter: OutcomeFilter) {
	const byMonth = !filter.schoolIds && !filter.bySchool && isWholeMonths(filter);
	const rows = byMonth
		? sql`from outcome_month r where r.month between ${filter.from}::date and ${filter.to}::date`
		: sql`from outcome_rollup r where r.on_date between ${filter.from}::date and ${filter.to}::date`;
	const programmes = filter.programmeIds ? sql`and r.programme_id = any(${sql.val([...filter.programmeIds])}::uuid[])` : sql``;
	const schools = filter.schoolIds ? sql`and r.school_id = any(${sql.val([...filter.schoolIds])}::uuid[])` : sql``;
	// A row per school, named; otherwise one row for all schools, and no school's name to read:
	// joining the schools anyway scanned all of them (600 in a county) on every read, a quarter
	// of the statement's time.
	const perSchool = filter.bySchool
		? { key: sql`r.school_id`, name: sql`sc.name`, join: sql`left join school sc on sc.id = t.school_id`, order: sql`, sc.name nulls first` }
		: { key: sql`null::uuid`, name: sql`null::text`, join: sql``, order: sql`` };
	return sql<OutcomeRow>`
		with totals as (
			select r.programme_id, r.question_id, ${perSchool.key} as school_id,
				sum(r.pairs)::int as pairs, sum(r.improved)::int as improved, sum(r.same)::int as same, sum(r.worse)::int as worse,
				sum(r.total_change)::int as total_change, sum(r.total_before)::int as total_before,
				sum(r.unmatched_before)::int as unmatched_before, sum(r.unmatched_after)::int as unmatched_after
			${rows} ${programmes} ${schools}
			group by 1, 2, 3
		)
		select t.programme_id, p.name as programme_name, t.question_id, q.position, q.wording, q.retired_at is not null as retired,
			t.school_id, ${perSchool.name} as school_name, t.pairs, t.improved, t.same, t.worse, t.total_change, t.total_before, t.unmatched_before, t.unmatched_after
		from totals t
		join programme p on p.id = t.programme_id
		join outcome_question q on q.id = t.question_id
		${perSchool.join}
		order by p.name, t.programme_id, q.retired_at is not null, q.position, q.created_at${perSchool.order}
	`;
}
