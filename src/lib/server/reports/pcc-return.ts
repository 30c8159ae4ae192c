import { withTransaction, type Db } from '../db';
import { UUID } from '../forms';
import { insertAuditEvent } from '../audit/audit.queries';
import { authoriseReport, mayManageProgramme } from '../auth/policy';
import type { Actor } from '../auth/session';
import { invalidField, ok, type Result } from '../result';
import { outcomeSummaries } from '../outcomes/outcomes.summary';
import { londonParts } from '../time';
import { formatDateTime, formatDay } from '../../format';
import { suppressionThreshold } from './disclosure';
import { exportCell, exportCells, exportHeader } from './export-table';
import { outcomeTable, presentOutcome, type OutcomeCells } from './outcome-table';
import { listNarratives, upsertNarrative } from './pcc-return.queries';
import type { NarrativeValues } from './pcc-return.schema';
import { financialYearOfDate, type Period } from './periods';
import { presentCells } from './present';
import { decidedTable, reportTable, type Cells } from './report-table';
import { districtCells, figureName } from './linked-figures';
import type { ReportOptions, Selection } from './report-page';
import { emptyFigures, reportFigures } from './reports.queries';

// The return the partnership sends the Police and Crime Commissioner for a period: each
// programme's outputs (the report figures) and outcomes (before-and-after questions), with its
// partnership priority, PCC plan priorities and a short narrative, and the totals. On screen,
// admins and leads see the figures as they are and report viewers see them suppressed; the
// downloads are always suppressed, whoever makes them, because a file travels.

export const NARRATIVE_MAX = 1500;

/** PCC returns go by financial year: that is the period when none is chosen. */
export function defaultReturnPeriod(today = londonParts(new Date()).date) {
	return { period: 'financial', year: String(financialYearOfDate(today)) };
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

async function readNarratives(db: Db, period: Period): Promise<Map<string, string>> {
	return new Map((await listNarratives(db, period)).map((r) => [r.programme_id, r.narrative]));
}

/**
 * The return for a selection (its period and, if chosen, one programme). `forExport` always
 * suppresses; otherwise report viewers get suppressed figures and admins and leads exact ones.
 */
export async function pccReturn(db: Db, actor: Actor, selection: Selection, options: ReportOptions, forExport = false): Promise<PccReturn> {
	await authoriseReport(db, actor, 'pcc_return');
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
	const rows = programmes.map((p) => ({ programme: p, figures: figures.get(p.id) ?? emptyFigures(p.id) }));
	const total = totals.get('total') ?? emptyFigures('total');
	let table = reportTable(rows, total, null);
	if (threshold !== null) {
		// The same decision as every other suppressed page and file of the period: with a programme chosen, its row is the total.
		const cells = await districtCells(db, period, threshold);
		const totalScope = selection.programmeId ? `programme ${selection.programmeId}` : 'total';
		table = decidedTable(rows, total, (measure, row) => cells.get(figureName(measure, period, row ? `programme ${row.programme.id}` : totalScope)), threshold);
	}

	const outcome = outcomeTable(outcomes, programmes, threshold);

	const manageable = await Promise.all(programmes.map((p) => (forExport ? false : mayManageProgramme(db, actor, p.id))));
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

/** The return for a page: only what may be shown leaves the server. */
export function presentPccReturn(r: PccReturn) {
	return {
		period: r.period,
		threshold: r.threshold,
		programmes: r.programmes.map(({ cells, outcome, ...rest }) => ({ ...rest, cells: presentCells(cells), outcome: presentOutcome(outcome) })),
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
				...r.questions.map((q) => [
					q.programmeName,
					q.wording,
					q.retired ? 'Yes' : 'No',
					exportCell(q.cells.pairs, 'count'),
					exportCell(q.cells.shareImproved, 'percent'),
					exportCell(q.cells.meanChange, 'change')
				])
			]
		},
		{
			name: 'About',
			rows: [
				['Dover District Safer Stronger Communities Partnership: return to the Kent Police and Crime Commissioner'],
				['Period', r.period.label],
				['From', formatDay(r.period.from)],
				['To', formatDay(r.period.to)],
				['Made (UK time)', formatDateTime(generatedAt)],
				[
					'Small counts',
					`Counts of people from 1 to ${(r.threshold ?? suppressionThreshold()) - 1} are shown as c, with other cells hidden where a total would reveal them.`
				],
				['Young people reached', 'Different named young people who came, each counted once, plus headcounts of pupils.'],
				['Frontline professionals', 'Headcounts of professionals at training such as Prevent awareness training: counted apart, never among young people.'],
				['Attendance rate', 'Attended out of expected: the named marks recorded, or the places booked where there is no named register.']
			]
		}
	];
}

/** Saves (or clears) a programme's narrative for the period. Admins, and the programme's leads. */
export async function saveNarrative(db: Db, actor: Actor, period: Period, values: NarrativeValues): Promise<Result> {
	// The programme id comes from the form: anything but an id is refused like a programme out of reach.
	await authoriseReport(db, actor, 'narrative', UUID.test(values.programmeId) ? values.programmeId : undefined);
	const narrative = values.narrative.replace(/\r\n/g, '\n').trim();
	if (narrative.length > NARRATIVE_MAX) {
		return invalidField(`narrative-${values.programmeId}`, `The narrative must be ${NARRATIVE_MAX} characters or fewer; it has ${narrative.length}`);
	}
	await withTransaction(db, async (trx) => {
		await upsertNarrative(trx, { programmeId: values.programmeId, period, narrative, updatedBy: actor.id });
		await insertAuditEvent(trx, {
			actorId: actor.id,
			action: 'pcc_narrative.saved',
			entityType: 'programme',
			entityId: values.programmeId,
			detail: { from: period.from, to: period.to, characters: narrative.length },
			address: actor.address
		});
	});
	return ok();
}
