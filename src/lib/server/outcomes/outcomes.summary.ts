import type { Db } from '../db';
import { listOutcomeRows, type OutcomeFilter, type OutcomeRow } from './outcomes.queries';

export type { OutcomeFilter };

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

export async function outcomeSummaries(db: Db, filter: OutcomeFilter): Promise<OutcomeSummary[]> {
	if (filter.programmeIds?.length === 0 || filter.schoolIds?.length === 0) return [];
	return (await listOutcomeRows(db, filter)).map(outcomeSummaryOf);
}

/** A row of `listOutcomeRows` (or of `outcomeRowsStatement` read with others) as a summary. */
export function outcomeSummaryOf(r: OutcomeRow): OutcomeSummary {
	return {
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
	};
}

/** Rows added up per programme (pairs counted per question answered), for a one-line total. */
export function totalByProgramme(rows: readonly OutcomeSummary[]) {
	const totals = new Map<
		string,
		{ programmeId: string; programmeName: string; pairs: number; improved: number; totalChange: number; unmatchedBefore: number; unmatchedAfter: number }
	>();
	for (const r of rows) {
		const t = totals.get(r.programmeId) ?? {
			programmeId: r.programmeId,
			programmeName: r.programmeName,
			pairs: 0,
			improved: 0,
			totalChange: 0,
			unmatchedBefore: 0,
			unmatchedAfter: 0
		};
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
