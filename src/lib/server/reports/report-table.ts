import type { AwardLevelCode } from '../db/schema';
import { derive, shownCell, suppressCount, suppressList, type Cell } from './disclosure';
import type { Figures } from './reports.queries';

// A report's figures as a table of cells, suppressed for those who see only aggregates.
// Counts of people are protected; counts of sessions and places are about the programme, not
// about anyone, and are shown as they are. Each column of people is suppressed with its total
// (the total row protects against working a hidden school out by subtraction); a total that
// is not the sum of its column, such as different young people across programmes, is
// suppressed on its own instead.

export type Measure =
	| 'sessionsDelivered'
	| 'sessionsCancelled'
	| 'schoolsReached'
	| 'youngPeopleReached'
	| 'placesBooked'
	| 'attended'
	| 'attendanceRate'
	| 'stationVisits'
	| 'meetings'
	| 'hours'
	| 'mentors'
	| 'mentees'
	| 'discovery'
	| 'explorer'
	| 'conserver'
	| 'parents'
	| 'professionals';

export interface Column {
	measure: Measure;
	label: string;
	/** Counts of people are suppressed; the rest are shown as they are. */
	people: boolean;
	format: 'count' | 'percent' | 'hours';
}

export const columns: readonly Column[] = [
	{ measure: 'sessionsDelivered', label: 'Sessions delivered', people: false, format: 'count' },
	{ measure: 'sessionsCancelled', label: 'Sessions cancelled', people: false, format: 'count' },
	{ measure: 'schoolsReached', label: 'Schools reached', people: false, format: 'count' },
	{ measure: 'youngPeopleReached', label: 'Young people reached', people: true, format: 'count' },
	{ measure: 'placesBooked', label: 'Places booked', people: false, format: 'count' },
	{ measure: 'attended', label: 'Attended', people: true, format: 'count' },
	{ measure: 'attendanceRate', label: 'Attendance rate', people: true, format: 'percent' },
	{ measure: 'stationVisits', label: 'Workstation visits', people: true, format: 'count' },
	{ measure: 'meetings', label: 'Mentoring meetings', people: true, format: 'count' },
	{ measure: 'hours', label: 'Mentoring hours', people: true, format: 'hours' },
	{ measure: 'mentors', label: 'Mentors', people: true, format: 'count' },
	{ measure: 'mentees', label: 'Mentees', people: true, format: 'count' },
	{ measure: 'discovery', label: 'Discovery awards', people: true, format: 'count' },
	{ measure: 'explorer', label: 'Explorer awards', people: true, format: 'count' },
	{ measure: 'conserver', label: 'Conserver awards', people: true, format: 'count' },
	{ measure: 'parents', label: 'Parents and carers', people: true, format: 'count' },
	{ measure: 'professionals', label: 'Frontline professionals', people: true, format: 'count' }
];

export type Counted = Exclude<Measure, 'attendanceRate' | 'hours'>;

/** The figure behind each counted measure. */
export function countOf(f: Figures, measure: Counted): number {
	switch (measure) {
		case 'youngPeopleReached':
			return f.namedYoungPeople + f.headcountYoungPeople;
		case 'discovery':
		case 'explorer':
		case 'conserver':
			return f.awards[measure as AwardLevelCode];
		default:
			return f[measure];
	}
}

export type Cells = Record<Measure, Cell>;

export interface ReportTable<R> {
	rows: (R & { cells: Cells })[];
	total: Cells;
	suppressed: boolean;
	threshold: number | null;
}

/** Attendance rate and hours, hidden with the counts they are built on. */
function derived(f: Figures, cells: Partial<Cells>): Pick<Cells, 'attendanceRate' | 'hours'> {
	return {
		attendanceRate: derive(f.expected > 0 ? f.attended / f.expected : NaN, [cells.attended!]),
		hours: derive(f.meetingMinutes / 60, [cells.meetings!])
	};
}

/**
 * Rows of figures (one per school, programme or quarter) and their total as cells; with
 * `threshold`, counts of people are suppressed, primary and secondary, column by column.
 */
export function reportTable<R extends { figures: Figures }>(rows: R[], total: Figures, threshold: number | null): ReportTable<R> {
	const rowCells: Partial<Cells>[] = rows.map(() => ({}));
	const totalCells: Partial<Cells> = {};
	for (const column of columns) {
		if (column.measure === 'attendanceRate' || column.measure === 'hours') continue;
		const measure = column.measure;
		const values = rows.map((r) => countOf(r.figures, measure));
		const totalValue = countOf(total, measure);
		if (threshold === null || !column.people) {
			values.forEach((v, i) => (rowCells[i]![measure] = shownCell(v)));
			totalCells[measure] = shownCell(totalValue);
			continue;
		}
		const additive = values.reduce((a, b) => a + b, 0) === totalValue;
		const list = suppressList(values, additive ? { total: totalValue, threshold } : { threshold });
		list.cells.forEach((cell, i) => (rowCells[i]![measure] = cell));
		totalCells[measure] = list.total ?? suppressCount(totalValue, { threshold });
	}
	return {
		rows: rows.map((r, i) => ({ ...r, cells: { ...rowCells[i]!, ...derived(r.figures, rowCells[i]!) } as Cells })),
		total: { ...totalCells, ...derived(total, totalCells) } as Cells,
		suppressed: threshold !== null,
		threshold
	};
}

/**
 * Rows and their total as cells, each count of people hidden or shown as `decided` says (a
 * figure suppressed with every other table it is read beside: linked-figures.ts); `row` is null
 * for the total. The values are the rows' own; only whether each is hidden is decided elsewhere.
 */
export function decidedTable<R extends { figures: Figures }>(
	rows: R[],
	total: Figures,
	decided: (measure: Counted, row: R | null) => Cell | undefined,
	threshold: number
): ReportTable<R> {
	const cellsOf = (f: Figures, row: R | null): Cells => {
		const cells: Partial<Cells> = {};
		for (const column of columns) {
			if (column.measure === 'attendanceRate' || column.measure === 'hours') continue;
			const value = countOf(f, column.measure);
			if (!column.people) {
				cells[column.measure] = shownCell(value);
				continue;
			}
			// A figure outside the decided output (never expected) is hidden rather than shown unprotected.
			const hidden = decided(column.measure, row)?.hidden ?? value !== 0;
			cells[column.measure] = hidden ? { value, hidden, reason: suppressCount(value, { threshold }).hidden ? 'primary' : 'secondary' } : shownCell(value);
		}
		return Object.assign(cells, derived(f, cells)) as Cells;
	};
	return { rows: rows.map((r) => ({ ...r, cells: cellsOf(r.figures, r) })), total: cellsOf(total, null), suppressed: true, threshold };
}
