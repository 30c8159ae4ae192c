// The parents' anonymous before-and-after question at Gang Awareness workshops: how many
// parents and carers gave each answer on a 1 to 5 scale, before and after the workshop.
// Pure, so pages, reports and tests share one way of summing and averaging.

export const FEEDBACK_QUESTION = 'How confident are you that you could spot the signs that a young person is involved with a gang?';
export const SCORES = [1, 2, 3, 4, 5] as const;
export const scoreLabels: Record<(typeof SCORES)[number], string> = {
	1: '1, not at all confident',
	2: '2',
	3: '3',
	4: '4',
	5: '5, very confident'
};

export interface Distribution {
	/** How many answered 1, 2, 3, 4 and 5, in that order. */
	counts: number[];
	answered: number;
	/** The mean answer, 1 to 5; null when nobody answered. */
	mean: number | null;
}

/** Sums and averages five counts, of answers 1 to 5. */
export function summarise(counts: readonly number[]): Distribution {
	if (counts.length !== SCORES.length) throw new Error(`A distribution has ${SCORES.length} counts, not ${counts.length}`);
	const answered = counts.reduce((sum, n) => sum + n, 0);
	const total = counts.reduce((sum, n, i) => sum + n * (i + 1), 0);
	return { counts: [...counts], answered, mean: answered === 0 ? null : total / answered };
}

/** Five counts from stored rows of one moment (absent scores are 0); null when none are stored. */
export function distributionOf(rows: readonly { score: number; count: number }[]): Distribution | null {
	if (rows.length === 0) return null;
	const counts = SCORES.map((score) => rows.find((r) => r.score === score)?.count ?? 0);
	return summarise(counts);
}
