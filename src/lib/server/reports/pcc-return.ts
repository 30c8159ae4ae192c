import { withTransaction, type Db } from '../db';
import { insertAuditEvent } from '../audit/audit.queries';
import { refuse, requireRole } from '../auth/access';
import type { Actor } from '../auth/session';
import type { FieldErrors } from '../result';
import { outcomeSummaries, type OutcomeSummary } from '../outcomes/outcomes.summary';
import { canManageProgramme } from '../programmes/programmes.service';
import { derive, shownCell, suppressCount, suppressList, suppressionThreshold, type Cell } from './disclosure';
import type { Period } from './periods';
import { exportCell, exportCells, exportHeader } from './export-table';
import { formatCell, presentCells, type ShownCell, type ShownCells } from './present';
import { reportTable, type Cells } from './report-table';
import { emptyFigures, reportFigures, type Figures } from './reports.queries';
import type { ReportOptions, Selection } from './reports.service';

// The return the partnership sends the Police and Crime Commissioner for a period: each
// programme's outputs (the report figures) and outcomes (before-and-after questions), with its
// partnership priority, PCC plan priorities and a short narrative, and the totals. On screen,
// admins and leads see the figures as they are and report viewers see them suppressed; the
// downloads are always suppressed, whoever makes them, because a file travels.

const target = (entityId?: string) => ({ entityType: 'pcc_return', entityId });
export const NARRATIVE_MAX = 1500;

export interface OutcomeCells {
	pairs: Cell;
	shareImproved: Cell;
	meanChange: Cell;
	meanBefore: Cell;
	meanAfter: Cell;
}

export interface OutcomeQuestionRow {
	programmeId: string;
	programmeName: string;
	wording: string;
	retired: boolean;
	cells: OutcomeCells;
}

export interface PccProgrammeRow {
	id: string;
	name: string;
	priority: string;
	tags: string[];
	narrative: string;
	canEdit: boolean;
	cells: Cells;
	outcome: OutcomeCells;
}

export interface PccReturn {
	period: Period;
	programmes: PccProgrammeRow[];
	total: Cells;
	totalOutcome: OutcomeCells;
	questions: OutcomeQuestionRow[];
	threshold: number | null;
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
	return { pairs: a.pairs + b.pairs, people: Math.max(a.people, b.people), improved: a.improved + b.improved, totalChange: a.totalChange + b.totalChange, totalBefore: a.totalBefore + b.totalBefore };
}

/** Programmes: different people, added up. */
function addProgramme(a: OutcomeCounts, b: OutcomeCounts): OutcomeCounts {
	return { pairs: a.pairs + b.pairs, people: a.people + b.people, improved: a.improved + b.improved, totalChange: a.totalChange + b.totalChange, totalBefore: a.totalBefore + b.totalBefore };
}

/**
 * Before-and-after outcomes by programme, in total and by statement, as cells: people are
 * suppressed with `threshold` (null: as they are), and the shares and means built on them too.
 */
export function outcomeTable(outcomes: readonly OutcomeSummary[], programmes: readonly { id: string }[], threshold: number | null) {
	const none: OutcomeCounts = { pairs: 0, people: 0, improved: 0, totalChange: 0, totalBefore: 0 };
	const countsOf = (o: OutcomeSummary): OutcomeCounts => ({ pairs: o.pairs, people: o.pairs, improved: o.improved, totalChange: o.totalChange, totalBefore: o.totalBefore });
	const byProgramme = programmes.map((p) => outcomes.filter((o) => o.programmeId === p.id).reduce((sum, o) => addStatement(sum, countsOf(o)), none));
	const total = byProgramme.reduce(addProgramme, none);
	// People per programme add up to the total, so they are suppressed as a column with it.
	const people =
		threshold === null
			? { cells: byProgramme.map((o) => shownCell(o.people)), total: shownCell(total.people) }
			: suppressList(byProgramme.map((o) => o.people), { total: total.people, threshold });
	const questionPeople = threshold === null ? outcomes.map((o) => shownCell(o.pairs)) : suppressList(outcomes.map((o) => o.pairs), { threshold }).cells;
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

async function readNarratives(db: Db, period: Period): Promise<Map<string, string>> {
	const rows = await db
		.selectFrom('pcc_narrative')
		.select(['programme_id', 'narrative'])
		.where('period_from', '=', period.from)
		.where('period_to', '=', period.to)
		.execute();
	return new Map(rows.map((r) => [r.programme_id, r.narrative]));
}

/**
 * The return for a selection (its period and, if chosen, one programme). `forExport` always
 * suppresses; otherwise report viewers get suppressed figures and admins and leads exact ones.
 */
export async function pccReturn(db: Db, actor: Actor, selection: Selection, options: ReportOptions, forExport = false): Promise<PccReturn> {
	await requireRole(db, actor, ['admin', 'lead', 'viewer'], target());
	const threshold = forExport || actor.role === 'viewer' ? suppressionThreshold() : null;
	const { period } = selection;
	const programmes = options.programmes.filter((p) => !selection.programmeId || p.id === selection.programmeId);
	const filter = { from: period.from, to: period.to, periodKind: period.kind, ...(selection.programmeId ? { programmeIds: [selection.programmeId] } : {}) };
	const [figures, totals, outcomes, narratives] = await Promise.all([
		reportFigures(db, filter, 'programme'),
		reportFigures(db, filter, 'total'),
		outcomeSummaries(db, filter),
		readNarratives(db, period)
	]);
	const table = reportTable(
		programmes.map((p) => ({ programme: p, figures: figures.get(p.id) ?? emptyFigures(p.id) })),
		totals.get('total') ?? emptyFigures('total'),
		threshold
	);

	const outcome = outcomeTable(outcomes, programmes, threshold);

	const manageable = await Promise.all(programmes.map((p) => (forExport ? false : canManageProgramme(db, actor, p.id))));
	return {
		period,
		programmes: table.rows.map((row, i) => ({
			id: row.programme.id,
			name: row.programme.name,
			priority: row.programme.partnership_priority,
			tags: row.programme.pcc_tags,
			narrative: narratives.get(row.programme.id) ?? '',
			canEdit: manageable[i]!,
			cells: row.cells,
			outcome: outcome.programmes[i]!
		})),
		total: table.total,
		totalOutcome: outcome.total,
		questions: outcome.questions,
		threshold
	};
}

export function presentOutcome(o: OutcomeCells) {
	const mean = (cell: Cell) => (cell.hidden || !Number.isFinite(cell.value) ? formatCell(cell, 'count') : { text: cell.value.toFixed(1), value: Math.round(cell.value * 10) / 10 });
	return {
		meanBefore: mean(o.meanBefore),
		meanAfter: mean(o.meanAfter),
		pairs: formatCell(o.pairs, 'count'),
		shareImproved: formatCell(o.shareImproved, 'percent'),
		meanChange: o.meanChange.hidden || !Number.isFinite(o.meanChange.value) ? formatCell(o.meanChange, 'count') : { text: (o.meanChange.value >= 0 ? '+' : '') + o.meanChange.value.toFixed(2), value: Math.round(o.meanChange.value * 100) / 100 }
	};
}

export type PresentedOutcome = { pairs: ShownCell; shareImproved: ShownCell; meanChange: ShownCell; meanBefore: ShownCell; meanAfter: ShownCell };

/** The return for a page: only what may be shown leaves the server. */
export function presentPccReturn(r: PccReturn) {
	return {
		period: r.period,
		threshold: r.threshold,
		programmes: r.programmes.map(({ cells, outcome, ...rest }) => ({ ...rest, cells: presentCells(cells) as ShownCells, outcome: presentOutcome(outcome) as PresentedOutcome })),
		total: presentCells(r.total),
		totalOutcome: presentOutcome(r.totalOutcome),
		questions: r.questions.map(({ cells, ...rest }) => ({ ...rest, cells: presentOutcome(cells) }))
	};
}

export type SheetRow = (string | number | null)[];

/** The return as sheets of rows, for the CSV and XLSX downloads: numbers stay numbers, hidden cells are `c`. */
export function pccReturnSheets(r: PccReturn, generatedAt: Date): { name: string; rows: SheetRow[] }[] {
	const header = [
		'Programme',
		'Partnership priority',
		'PCC plan priorities',
		...exportHeader,
		'Outcome: people answering before and after',
		'Outcome: answers improved (%)',
		'Outcome: mean change per answer (1-5 scale)',
		'Narrative'
	];
	const figures = (cells: Cells, outcome: OutcomeCells) => [
		...exportCells(cells),
		exportCell(outcome.pairs, 'count'),
		exportCell(outcome.shareImproved, 'percent'),
		exportCell(outcome.meanChange, 'change')
	];
	return [
		{
			name: 'Programmes',
			rows: [
				header,
				...r.programmes.map((p) => [p.name, p.priority, p.tags.join('; '), ...figures(p.cells, p.outcome), p.narrative]),
				['Total', '', '', ...figures(r.total, r.totalOutcome), '']
			]
		},
		{
			name: 'Outcomes',
			rows: [
				['Programme', 'Question', 'Retired', 'People answering before and after', 'Improved (%)', 'Mean change (1-5 scale)'],
				...r.questions.map((q) => [q.programmeName, q.wording, q.retired ? 'Yes' : 'No', exportCell(q.cells.pairs, 'count'), exportCell(q.cells.shareImproved, 'percent'), exportCell(q.cells.meanChange, 'change')])
			]
		},
		{
			name: 'About',
			rows: [
				['Dover District Safer Stronger Communities Partnership: return to the Kent Police and Crime Commissioner'],
				['Period', r.period.label],
				['From', r.period.from],
				['To', r.period.to],
				['Made', generatedAt.toISOString()],
				['Small counts', `Counts of people from 1 to ${(r.threshold ?? suppressionThreshold()) - 1} are shown as c, with other cells hidden where a total would reveal them.`],
				['Young people reached', 'Different named young people who came, each counted once, plus headcounts of pupils.'],
				['Attendance rate', 'Attended out of expected: the named marks recorded, or the places booked where there is no named register.']
			]
		}
	];
}

export interface NarrativeValues {
	programmeId: string;
	narrative: string;
}

/** Saves (or clears) a programme's narrative for the period. Admins, and the programme's leads. */
export async function saveNarrative(db: Db, actor: Actor, period: Period, values: NarrativeValues): Promise<{ ok: true } | { ok: false; errors: FieldErrors }> {
	await requireRole(db, actor, ['admin', 'lead'], target(values.programmeId));
	if (!(await canManageProgramme(db, actor, values.programmeId))) return refuse(db, actor, { entityType: 'programme', entityId: values.programmeId });
	const narrative = values.narrative.replace(/\r\n/g, '\n').trim();
	if (narrative.length > NARRATIVE_MAX) {
		return { ok: false, errors: { [`narrative-${values.programmeId}`]: `The narrative must be ${NARRATIVE_MAX} characters or fewer; it has ${narrative.length}` } };
	}
	await withTransaction(db, async (trx) => {
		await trx
			.insertInto('pcc_narrative')
			.values({ programme_id: values.programmeId, period_from: period.from, period_to: period.to, narrative, updated_by: actor.id, updated_at: new Date() })
			.onConflict((oc) => oc.columns(['programme_id', 'period_from', 'period_to']).doUpdateSet({ narrative, updated_by: actor.id, updated_at: new Date() }))
			.execute();
		await insertAuditEvent(trx, {
			actorId: actor.id,
			action: 'pcc_narrative.saved',
			entityType: 'programme',
			entityId: values.programmeId,
			detail: { from: period.from, to: period.to, characters: narrative.length },
			address: actor.address
		});
	});
	return { ok: true };
}
