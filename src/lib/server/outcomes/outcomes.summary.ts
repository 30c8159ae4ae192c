import { sql } from 'kysely';
import type { Db } from '../db';

/*
 * Before-and-after outcomes, for the reports module and the question set page.
 *
 * outcomeSummaries(db, { from, to, programmeIds?, schoolIds?, bySchool? }) returns one row per
 * programme and question (and per school, with bySchool) that has anything counted in the
 * period. Exactly:
 *
 * - A questionnaire's date is its session's date (the day it starts, in UK time) where it has
 *   a session, otherwise the date it was answered. `from` and `to` are YYYY-MM-DD, inclusive.
 * - Matching: a before and an after belong to the same person when they are
 *     named: the same young person, programme and academic year (1 September to 31 August);
 *     anonymous at a session: the same session and matching code (codes are stored in
 *       capitals, so matching ignores case);
 *     anonymous without a session: the same programme, academic year and matching code.
 *   Each person or code has at most one before and one after in that scope (the database
 *   enforces it), so pairs are one to one.
 * - A matched pair is counted per question both of them answered, in the period holding the
 *   AFTER's date (the outcome is known when the after is given): a pair whose before fell in
 *   an earlier period counts now; one whose after is still to come counts later. So each pair
 *   is counted in exactly one period, and quarters add up to their year.
 * - change = after score - before score (scores 1 to 5, so -4 to 4); improved: change > 0;
 *   same: change = 0; worse: change < 0. shareImproved = improved / pairs and
 *   meanChange = totalChange / pairs, both null when there are no pairs. Unrounded.
 * - Unmatched answers are excluded from all of the above and counted apart:
 *   unmatchedBefore: befores dated in the period with no after (at any date) to the same
 *   question; unmatchedAfter: afters dated in the period with no before to the same question.
 *   A before in the period whose after comes after `to` is neither a pair nor unmatched here.
 * - School: a pair belongs to the school recorded with its after (for a named young person,
 *   their school when the after was entered); an unmatched answer to its own questionnaire's
 *   school. schoolIds keeps only those schools, by that rule.
 * - Retired questions are included (retired: true): their answers still count.
 * - Rows come sorted by programme name, question position, then school name. Counts are
 *   exact: disclosure control (showing 1 to 4 as `c`) is for the caller to apply.
 * - No access check here: the caller decides who may see which programmes and schools.
 */

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

export interface OutcomeSummary {
	programmeId: string;
	programmeName: string;
	questionId: string;
	position: number;
	wording: string;
	retired: boolean;
	/** Null unless `bySchool`. */
	schoolId: string | null;
	schoolName: string | null;
	pairs: number;
	improved: number;
	same: number;
	worse: number;
	/** The sum of (after - before) over the pairs, so rows can be added up. */
	totalChange: number;
	/** The sum of the before scores over the pairs: the mean before is totalBefore / pairs, after adds the mean change. */
	totalBefore: number;
	/** improved / pairs, from 0 to 1; null without pairs. */
	shareImproved: number | null;
	/** totalChange / pairs; null without pairs. */
	meanChange: number | null;
	unmatchedBefore: number;
	unmatchedAfter: number;
}

interface Row {
	programme_id: string;
	programme_name: string;
	question_id: string;
	position: number;
	wording: string;
	retired: boolean;
	school_id: string | null;
	school_name: string | null;
	pairs: number;
	improved: number;
	same: number;
	worse: number;
	total_change: number;
	total_before: number;
	unmatched_before: number;
	unmatched_after: number;
}

export async function outcomeSummaries(db: Db, filter: OutcomeFilter): Promise<OutcomeSummary[]> {
	if (filter.programmeIds?.length === 0 || filter.schoolIds?.length === 0) return [];
	const programmes = filter.programmeIds ? sql`and qn.programme_id = any(${sql.val([...filter.programmeIds])}::uuid[])` : sql``;
	const schools = filter.schoolIds ? sql`where school_id = any(${sql.val([...filter.schoolIds])}::uuid[])` : sql``;
	const schoolKey = filter.bySchool ? sql`school_id` : sql`null::uuid`;
	const { rows } = await sql<Row>`
		with answer as (
			select qn.programme_id, qn.school_id, qn.moment, a.question_id, a.score,
				coalesce((s.starts_at at time zone 'Europe/London')::date, qn.answered_on) as on_date,
				case
					when qn.young_person_id is not null then 'p ' || qn.programme_id || ' ' || qn.academic_year || ' ' || qn.young_person_id
					when qn.session_id is not null then 's ' || qn.session_id || ' ' || qn.matching_code
					else 'y ' || qn.programme_id || ' ' || qn.academic_year || ' ' || qn.matching_code
				end as person
			from outcome_questionnaire qn
			join outcome_answer a on a.questionnaire_id = qn.id
			left join programme_session s on s.id = qn.session_id
			where true ${programmes}
		),
		counted as (
			-- Pairs, dated and placed by their after.
			select aft.programme_id, aft.question_id, aft.school_id, aft.score - bef.score as change, bef.score as before_score, 0 as unmatched_before, 0 as unmatched_after
			from answer aft
			join answer bef on bef.person = aft.person and bef.question_id = aft.question_id and bef.moment = 'before'
			where aft.moment = 'after' and aft.on_date between ${filter.from}::date and ${filter.to}::date
			union all
			select one.programme_id, one.question_id, one.school_id, null, null, (one.moment = 'before')::int, (one.moment = 'after')::int
			from answer one
			where one.on_date between ${filter.from}::date and ${filter.to}::date
				and not exists (
					select 1 from answer other
					where other.person = one.person and other.question_id = one.question_id and other.moment <> one.moment
				)
		),
		totals as (
			select programme_id, question_id, ${schoolKey} as school_id,
				count(change)::int as pairs,
				count(*) filter (where change > 0)::int as improved,
				count(*) filter (where change = 0)::int as same,
				count(*) filter (where change < 0)::int as worse,
				coalesce(sum(change), 0)::int as total_change,
				coalesce(sum(before_score), 0)::int as total_before,
				sum(unmatched_before)::int as unmatched_before,
				sum(unmatched_after)::int as unmatched_after
			from counted
			${schools}
			group by 1, 2, 3
		)
		select t.programme_id, p.name as programme_name, t.question_id, q.position, q.wording, q.retired_at is not null as retired,
			t.school_id, sc.name as school_name, t.pairs, t.improved, t.same, t.worse, t.total_change, t.total_before, t.unmatched_before, t.unmatched_after
		from totals t
		join programme p on p.id = t.programme_id
		join outcome_question q on q.id = t.question_id
		left join school sc on sc.id = t.school_id
		order by p.name, t.programme_id, q.retired_at is not null, q.position, q.created_at, sc.name nulls first
	`.execute(db);
	return rows.map((r) => ({
		programmeId: r.programme_id,
		programmeName: r.programme_name,
		questionId: r.question_id,
		position: r.position,
		wording: r.wording,
		retired: r.retired,
		schoolId: r.school_id,
		schoolName: r.school_name,
		pairs: r.pairs,
		improved: r.improved,
		same: r.same,
		worse: r.worse,
		totalChange: r.total_change,
		totalBefore: r.total_before,
		shareImproved: r.pairs > 0 ? r.improved / r.pairs : null,
		meanChange: r.pairs > 0 ? r.total_change / r.pairs : null,
		unmatchedBefore: r.unmatched_before,
		unmatchedAfter: r.unmatched_after
	}));
}

/** Rows added up per programme (pairs counted per question answered), for a one-line total. */
export function totalByProgramme(rows: readonly OutcomeSummary[]) {
	const totals = new Map<string, { programmeId: string; programmeName: string; pairs: number; improved: number; totalChange: number; unmatchedBefore: number; unmatchedAfter: number }>();
	for (const r of rows) {
		const t = totals.get(r.programmeId) ?? { programmeId: r.programmeId, programmeName: r.programmeName, pairs: 0, improved: 0, totalChange: 0, unmatchedBefore: 0, unmatchedAfter: 0 };
		t.pairs += r.pairs;
		t.improved += r.improved;
		t.totalChange += r.totalChange;
		t.unmatchedBefore += r.unmatchedBefore;
		t.unmatchedAfter += r.unmatchedAfter;
		totals.set(r.programmeId, t);
	}
	return [...totals.values()].map((t) => ({
		...t,
		shareImproved: t.pairs > 0 ? t.improved / t.pairs : null,
		meanChange: t.pairs > 0 ? t.totalChange / t.pairs : null
	}));
}
