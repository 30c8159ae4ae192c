import type { OutcomeSummary } from '../outcomes/outcomes.summary';
import { derive, shownCell, suppressCount, suppressList, type Cell } from './disclosure';
import { formatCell, type ShownCell } from './present';

// Before-and-after outcomes as cells, suppressed like the report figures: by programme, in
// total and by statement. The district overview shows them beside each programme's figures;
// the return to the PCC carries them with its outputs.

export interface OutcomeCells {
	pairs: Cell;
	shareImproved: Cell;
	meanChange: Cell;
	meanBefore: Cell;
	meanAfter: Cell;
}

interface OutcomeCounts {
	/** Answer pairs: one per person per statement answered before and after. */
	pairs: number;
	/** People: the most pairs any one statement has (each person answers each statement once). */
	people: number;
	improved: number;
	totalChange: number;
	totalBefore: number;
}

/**
 * The people answering are suppressed as a count; the share of answers that improved hides with
 * them or with a small number improved; the mean change (per answer) with the people.
 */
function outcomeCells(pairs: Cell, counts: OutcomeCounts, threshold: number | null): OutcomeCells {
	const improved = threshold === null ? shownCell(counts.improved) : suppressCount(counts.improved, { threshold });
	return {
		pairs,
		shareImproved: derive(counts.pairs > 0 ? counts.improved / counts.pairs : NaN, [pairs, improved]),
		meanChange: derive(counts.pairs > 0 ? counts.totalChange / counts.pairs : NaN, [pairs]),
		meanBefore: derive(counts.pairs > 0 ? counts.totalBefore / counts.pairs : NaN, [pairs]),
		meanAfter: derive(counts.pairs > 0 ? (counts.totalBefore + counts.totalChange) / counts.pairs : NaN, [pairs])
	};
}

/** Statements of one programme: their people overlap, so the most of them stands for all. */
function addStatement(a: OutcomeCounts, b: OutcomeCounts): OutcomeCounts {
	return {
		pairs: a.pairs + b.pairs,
		people: Math.max(a.people, b.people),
		improved: a.improved + b.improved,
		totalChange: a.totalChange + b.totalChange,
		totalBefore: a.totalBefore + b.totalBefore
	};
}

/** Programmes: different people, added up. */
function addProgramme(a: OutcomeCounts, b: OutcomeCounts): OutcomeCounts {
	return {
		pairs: a.pairs + b.pairs,
		people: a.people + b.people,
		improved: a.improved + b.improved,
		totalChange: a.totalChange + b.totalChange,
		totalBefore: a.totalBefore + b.totalBefore
	};
}

/**
 * Before-and-after outcomes by programme, in total and by statement, as cells: people are
 * suppressed with `threshold` (null: as they are), and the shares and means built on them too.
 */
export function outcomeTable(outcomes: readonly OutcomeSummary[], programmes: readonly { id: string }[], threshold: number | null) {
	const none: OutcomeCounts = { pairs: 0, people: 0, improved: 0, totalChange: 0, totalBefore: 0 };
	const countsOf = (o: OutcomeSummary): OutcomeCounts => ({
		pairs: o.pairs,
		people: o.pairs,
		improved: o.improved,
		totalChange: o.totalChange,
		totalBefore: o.totalBefore
	});
	const byProgramme = programmes.map((p) => outcomes.filter((o) => o.programmeId === p.id).reduce((sum, o) => addStatement(sum, countsOf(o)), none));
	const total = byProgramme.reduce(addProgramme, none);
	// People per programme add up to the total, so they are suppressed as a column with it.
	const people =
		threshold === null
			? { cells: byProgramme.map((o) => shownCell(o.people)), total: shownCell(total.people) }
			: suppressList(
					byProgramme.map((o) => o.people),
					{ total: total.people, threshold }
				);
	const questionPeople =
		threshold === null
			? outcomes.map((o) => shownCell(o.pairs))
			: suppressList(
					outcomes.map((o) => o.pairs),
					{ threshold }
				).cells;
	return {
		programmes: byProgramme.map((counts, i) => outcomeCells(people.cells[i]!, counts, threshold)),
		total: outcomeCells(people.total!, total, threshold),
		questions: outcomes.map((o, i) => ({
			programmeId: o.programmeId,
			programmeName: o.programmeName,
			wording: o.wording,
			retired: o.retired,
			cells: outcomeCells(questionPeople[i]!, countsOf(o), threshold)
		}))
	};
}

export function presentOutcome(o: OutcomeCells): PresentedOutcome {
	const mean = (cell: Cell) =>
		cell.hidden || !Number.isFinite(cell.value) ? formatCell(cell, 'count') : { text: cell.value.toFixed(1), value: Math.round(cell.value * 10) / 10 };
	return {
		meanBefore: mean(o.meanBefore),
		meanAfter: mean(o.meanAfter),
		pairs: formatCell(o.pairs, 'count'),
		shareImproved: formatCell(o.shareImproved, 'percent'),
		meanChange:
			o.meanChange.hidden || !Number.isFinite(o.meanChange.value)
				? formatCell(o.meanChange, 'count')
				: { text: (o.meanChange.value >= 0 ? '+' : '') + o.meanChange.value.toFixed(2), value: Math.round(o.meanChange.value * 100) / 100 }
	};
}

export type PresentedOutcome = { pairs: ShownCell; shareImproved: ShownCell; meanChange: ShownCell; meanBefore: ShownCell; meanAfter: ShownCell };
