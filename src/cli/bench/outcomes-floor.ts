// The floor for the outcome figures: what a report read for them before the outcomes rollup
// (migration 20261210T0100), in one statement over the answers themselves. Each person's answers
// to a statement are paired by grouping (outcomes.summary.ts says what is counted), for every
// programme, whole district, so it can be checked against the rollup's figures too.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../lib/server/db/schema';

export interface OutcomeFloorRow {
	programme_id: string;
	question_id: string;
	pairs: number;
	improved: number;
	total_change: number;
	unmatched_before: number;
	unmatched_after: number;
}

export async function outcomesFromAnswers(db: Kysely<DB>, from: string, to: string): Promise<OutcomeFloorRow[]> {
	const { rows } = await sql<OutcomeFloorRow>`
		with answer as (
			select qn.programme_id, qn.moment, a.question_id, a.score,
				coalesce((s.starts_at at time zone 'Europe/London')::date, qn.answered_on) as on_date,
				outcome_person(qn.young_person_id, qn.session_id, qn.matching_code, qn.programme_id, qn.academic_year) as person
			from outcome_questionnaire qn
			join outcome_answer a on a.questionnaire_id = qn.id
			left join programme_session s on s.id = qn.session_id
		), paired as (
			select programme_id, question_id,
				max(score) filter (where moment = 'before') as before_score,
				max(score) filter (where moment = 'after') as after_score,
				coalesce(max(on_date) filter (where moment = 'after'), max(on_date) filter (where moment = 'before')) as on_date
			from answer
			group by person, programme_id, question_id
		)
		select programme_id, question_id,
			count(*) filter (where before_score is not null and after_score is not null)::int as pairs,
			count(*) filter (where after_score > before_score)::int as improved,
			coalesce(sum(after_score - before_score), 0)::int as total_change,
			count(*) filter (where after_score is null)::int as unmatched_before,
			count(*) filter (where before_score is null)::int as unmatched_after
		from paired
		where on_date between ${from}::date and ${to}::date
		group by 1, 2
		order by 1, 2
	`.execute(db);
	return rows;
}
