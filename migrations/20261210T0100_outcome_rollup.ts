import { sql, type Kysely } from 'kysely';

// Before-and-after outcomes kept change by change, like the other report figures (issue 15,
// item 1: "an answer" is one of the changes that must update only what it touches). Every
// report with outcomes read them from the answers themselves, all of them for all time (a pair's
// before may fall in an earlier period), so the cost of a report grew with the history: 21,000
// answers cost 31-91 ms a report, and a county's five years about a second.
//
// Two tables, kept by triggers in the same transaction as the change:
//
// - outcome_pair: one row per person and statement, what outcomes.summary.ts counts for them:
//   the before and after scores (either may be missing), and the day and school the row is
//   counted at (a pair by its after; an answer without its other half by itself). The person is
//   the matching key (`outcome_person`): a named young person in a programme and academic
//   year; a code at a session; a code in a programme and academic year.
// - outcome_rollup: those rows added up by programme, statement, school and day, which is what
//   the reports read: any period is a range of days.
//
// A change to answers, to a questionnaire, or to a session's day counts again only the people
// and statements it touched (`recount_outcomes`): it takes their rows' contribution off the
// rollup and adds what they count now. Answers are only ever added by the app, but a change of
// any kind is followed. `rebuild_outcome_rollup()` counts everything again from the answers:
// the repair tool (`npm run figures:rebuild`) and this migration call it. A recount holds a
// shared lock and the rebuild the same lock exclusively, so a rebuild reads every recount's
// answers and no recount runs beside it.

/** The matching key of a questionnaire `q`, as `outcome_person` gives it. */
const person = (q: string) => `outcome_person(${q}.young_person_id, ${q}.session_id, ${q}.matching_code, ${q}.programme_id, ${q}.academic_year)`;

/**
 * A person's answers to a statement as one outcome_pair row, from `answers` (the answers of
 * `qn`, with its session `s`, and the key as `person`): the day a questionnaire counts on is its
 * session's day in UK time, or the day it was answered (outcomes.summary.ts).
 */
const pairsFrom = (answers: string) => `
	select person, a.question_id, qn.programme_id,
		max(a.score) filter (where qn.moment = 'before'),
		max(a.score) filter (where qn.moment = 'after'),
		coalesce(
			max(coalesce((s.starts_at at time zone 'Europe/London')::date, qn.answered_on)) filter (where qn.moment = 'after'),
			max(coalesce((s.starts_at at time zone 'Europe/London')::date, qn.answered_on)) filter (where qn.moment = 'before')
		),
		coalesce((array_agg(qn.school_id) filter (where qn.moment = 'after'))[1], (array_agg(qn.school_id) filter (where qn.moment = 'before'))[1])
	${answers}
	left join programme_session s on s.id = qn.session_id
	group by 1, 2, 3`;

/**
 * outcome_pair rows `p` added up as outcome_rollup rows, each count times `sign`; in the order
 * of the rollup's key, so that two changes writing the same rows lock them in the same order.
 */
const rollupFrom = (pairs: string, sign: string) => `
	select p.programme_id, p.on_date, p.question_id, p.school_id,
		${sign} * count(*) filter (where p.before_score is not null and p.after_score is not null),
		${sign} * count(*) filter (where p.after_score > p.before_score),
		${sign} * count(*) filter (where p.after_score = p.before_score),
		${sign} * count(*) filter (where p.after_score < p.before_score),
		${sign} * coalesce(sum(p.after_score - p.before_score), 0),
		${sign} * coalesce(sum(p.before_score) filter (where p.after_score is not null), 0),
		${sign} * count(*) filter (where p.after_score is null),
		${sign} * count(*) filter (where p.before_score is null)
	from ${pairs} p
	group by 1, 2, 3, 4
	order by 1, 2, 3, 4`;

const ROLLUP_COLUMNS =
	'programme_id, on_date, question_id, school_id, pairs, improved, same, worse, total_change, total_before, unmatched_before, unmatched_after';

const functions = [
	`create function outcome_person(young_person_id uuid, session_id uuid, matching_code text, programme_id uuid, academic_year integer)
returns text language sql immutable parallel safe as $$
	select case
		when young_person_id is not null then 'p ' || programme_id::text || ' ' || academic_year::text || ' ' || young_person_id::text
		when session_id is not null then 's ' || session_id::text || ' ' || matching_code
		else 'y ' || programme_id::text || ' ' || academic_year::text || ' ' || matching_code
	end
$$`,
	`-- Adds what the rows counted (sign 1) or takes it off (sign -1), and drops rollup rows left with nothing.
create function outcome_rollup_add(pairs outcome_pair[], sign integer) returns void language plpgsql as $$
declare
	k record;
begin
	for k in
		insert into outcome_rollup as r (${ROLLUP_COLUMNS})
		${rollupFrom('unnest(pairs)', 'sign')}
		on conflict (programme_id, on_date, question_id, school_id) do update set
			pairs = r.pairs + excluded.pairs, improved = r.improved + excluded.improved, same = r.same + excluded.same,
			worse = r.worse + excluded.worse, total_change = r.total_change + excluded.total_change,
			total_before = r.total_before + excluded.total_before, unmatched_before = r.unmatched_before + excluded.unmatched_before,
			unmatched_after = r.unmatched_after + excluded.unmatched_after
		returning r.programme_id, r.on_date, r.question_id, r.school_id, r.pairs + r.unmatched_before + r.unmatched_after as counted
	loop
		if k.counted = 0 then
			delete from outcome_rollup
			where programme_id = k.programme_id and on_date = k.on_date and question_id = k.question_id and school_id = k.school_id;
		end if;
	end loop;
end
$$`,
	`-- Counts the people and statements given again (people[i] with questions[i]): takes off what
-- they counted, and adds what they count now.
create function recount_outcomes(people text[], questions uuid[]) returns void language plpgsql as $$
declare
	gone outcome_pair[];
	fresh outcome_pair[];
begin
	if coalesce(array_length(people, 1), 0) = 0 then
		return;
	end if;
	perform pg_advisory_xact_lock_shared(hashtext('rebuild_outcome_rollup'));
	-- Two changes to one person's answers count one after the other, each reading the other's
	-- answers once committed (each statement here reads what is committed when it starts).
	perform pg_advisory_xact_lock(hashtext('outcome ' || person)) from (select distinct unnest(people) as person order by 1) p;
	with deleted as (
		delete from outcome_pair op using unnest(people, questions) as t(person, question_id)
		where op.person = t.person and op.question_id = t.question_id
		returning op
	)
	select array_agg(op) into gone from deleted;
	if gone is not null then
		perform outcome_rollup_add(gone, -1);
	end if;
	with inserted as (
		insert into outcome_pair as np
		${pairsFrom(`from (select distinct * from unnest(people, questions)) as t(person, question_id)
	join outcome_questionnaire qn on ${person('qn')} = t.person
	join outcome_answer a on a.questionnaire_id = qn.id and a.question_id = t.question_id`)}
		returning np
	)
	select array_agg(np) into fresh from inserted;
	if fresh is not null then
		perform outcome_rollup_add(fresh, 1);
	end if;
end
$$`,
	`create function rebuild_outcome_rollup() returns void language plpgsql as $$
begin
	perform pg_advisory_xact_lock(hashtext('rebuild_outcome_rollup'));
	delete from outcome_rollup;
	delete from outcome_pair;
	insert into outcome_pair
	${pairsFrom(`from (select ${person('q')} as person, q.* from outcome_questionnaire q) qn
	join outcome_answer a on a.questionnaire_id = qn.id`)};
	insert into outcome_rollup (${ROLLUP_COLUMNS})
	${rollupFrom('outcome_pair', '1')};
end
$$`
];

/** A trigger function counting again the people and statements of `changed` (questionnaire_id, question_id rows). */
const answersChanged = (name: string, changed: string) => `create function ${name}() returns trigger language plpgsql as $$
begin
	perform recount_outcomes(array_agg(person), array_agg(question_id))
	from (
		select distinct ${person('qn')} as person, c.question_id
		from (${changed}) c
		join outcome_questionnaire qn on qn.id = c.questionnaire_id
	) t;
	return null;
end
$$`;

const triggerFunctions = [
	answersChanged('outcome_answers_added', 'select questionnaire_id, question_id from added'),
	answersChanged('outcome_answers_updated', 'select questionnaire_id, question_id from added union all select questionnaire_id, question_id from removed'),
	answersChanged('outcome_answers_removed', 'select questionnaire_id, question_id from removed'),
	`-- A questionnaire changed (its school, day, moment or key): its people before and after the change.
create function outcome_questionnaires_updated() returns trigger language plpgsql as $$
begin
	perform recount_outcomes(array_agg(person), array_agg(question_id))
	from (
		select distinct ${person('q')} as person, a.question_id
		from (select * from added union all select * from removed) q
		join outcome_answer a on a.questionnaire_id = q.id
	) t;
	return null;
end
$$`,
	`-- A session moved to another day: its questionnaires count on the new one.
create function outcome_sessions_moved() returns trigger language plpgsql as $$
begin
	perform recount_outcomes(array_agg(person), array_agg(question_id))
	from (
		select distinct ${person('qn')} as person, a.question_id
		from added s
		join removed was on was.id = s.id and was.starts_at is distinct from s.starts_at
		join outcome_questionnaire qn on qn.session_id = s.id
		join outcome_answer a on a.questionnaire_id = qn.id
	) t;
	return null;
end
$$`
];

const triggers = [
	`create trigger outcome_answers_added after insert on outcome_answer
	referencing new table as added for each statement execute function outcome_answers_added()`,
	`create trigger outcome_answers_updated after update on outcome_answer
	referencing new table as added old table as removed for each statement execute function outcome_answers_updated()`,
	`create trigger outcome_answers_removed after delete on outcome_answer
	referencing old table as removed for each statement execute function outcome_answers_removed()`,
	`create trigger outcome_questionnaires_updated after update on outcome_questionnaire
	referencing new table as added old table as removed for each statement execute function outcome_questionnaires_updated()`,
	`create trigger outcome_sessions_moved after update on programme_session
	referencing new table as added old table as removed for each statement execute function outcome_sessions_moved()`
];

export async function up(db: Kysely<any>): Promise<void> {
	await sql`
		create table outcome_pair (
			person text not null,
			question_id uuid not null,
			programme_id uuid not null,
			before_score smallint,
			after_score smallint,
			on_date date not null,
			school_id uuid not null,
			primary key (person, question_id)
		)
	`.execute(db);
	await sql`
		create table outcome_rollup (
			programme_id uuid not null,
			on_date date not null,
			question_id uuid not null,
			school_id uuid not null,
			pairs integer not null,
			improved integer not null,
			same integer not null,
			worse integer not null,
			total_change integer not null,
			total_before integer not null,
			unmatched_before integer not null,
			unmatched_after integer not null,
			primary key (programme_id, on_date, question_id, school_id)
		)
	`.execute(db);
	for (const statement of [...functions, ...triggerFunctions]) await sql.raw(statement).execute(db);
	// A person's questionnaires, found by their matching key.
	await sql`
		create index outcome_questionnaire_person_idx on outcome_questionnaire
			(outcome_person(young_person_id, session_id, matching_code, programme_id, academic_year))
	`.execute(db);
	for (const statement of triggers) await sql.raw(statement).execute(db);
	await sql`select rebuild_outcome_rollup()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`drop trigger outcome_sessions_moved on programme_session`.execute(db);
	await sql`drop trigger outcome_questionnaires_updated on outcome_questionnaire`.execute(db);
	await sql`drop trigger outcome_answers_removed on outcome_answer`.execute(db);
	await sql`drop trigger outcome_answers_updated on outcome_answer`.execute(db);
	await sql`drop trigger outcome_answers_added on outcome_answer`.execute(db);
	await sql`drop index outcome_questionnaire_person_idx`.execute(db);
	for (const fn of [
		'outcome_sessions_moved()',
		'outcome_questionnaires_updated()',
		'outcome_answers_removed()',
		'outcome_answers_updated()',
		'outcome_answers_added()',
		'rebuild_outcome_rollup()',
		'recount_outcomes(text[], uuid[])',
		'outcome_rollup_add(outcome_pair[], integer)'
	])
		await sql.raw(`drop function ${fn}`).execute(db);
	await sql`drop table outcome_rollup`.execute(db);
	await sql`drop table outcome_pair`.execute(db);
	await sql`drop function outcome_person(uuid, uuid, text, uuid, integer)`.execute(db);
}
