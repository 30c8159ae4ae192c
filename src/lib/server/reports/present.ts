import { formatCount, formatOneDecimal, isCountBelowThousand } from '../../format';
import { SUPPRESSED, type Cell } from './disclosure';
import { columns, type Cells, type Column, type Measure, type ReportTable } from './report-table';

// What leaves the server: the text of each cell and, only when it is shown, its number (for
// sorting and charts). A hidden cell's true value never reaches the browser.

export interface ShownCell {
	text: string;
	/** The figure, or null when it is suppressed or does not apply (a rate with nothing expected). */
	value: number | null;
}

export type ShownCells = Record<Measure, ShownCell>;

// The cells most reports are made of, made once and shared: a hidden figure, and the whole
// counts below a thousand. A county's by-school page presents 10,000 cells on every request,
// nearly all of them one or the other. Frozen, as every report holds the same objects.
const HIDDEN: ShownCell = Object.freeze({ text: SUPPRESSED, value: null });
const NOT_APPLICABLE: ShownCell = Object.freeze({ text: 'n/a', value: null });
const SMALL_COUNTS: readonly ShownCell[] = Array.from({ length: 1000 }, (_, n) => Object.freeze({ text: formatCount(n), value: n }));

export function formatCell(cell: Cell, format: Column['format']): ShownCell {
	if (cell.hidden) return HIDDEN;
	if (!Number.isFinite(cell.value)) return NOT_APPLICABLE;
	switch (format) {
		case 'count':
			if (isCountBelowThousand(cell.value)) return SMALL_COUNTS[cell.value]!;
			return { text: formatCount(cell.value), value: cell.value };
		case 'percent':
			return { text: `${Math.round(cell.value * 100)}%`, value: Math.round(cell.value * 1000) / 10 };
		case 'hours':
			return { text: formatOneDecimal(cell.value), value: Math.round(cell.value * 10) / 10 };
	}
}

// A county's by-school page presents 600 rows of 17 cells on every request: written with loops
// and one object per row, not a pair array per cell and a rest copy per row.
export function presentCells(cells: Cells): ShownCells {
	const shown: Partial<ShownCells> = {};
	for (const c of columns) shown[c.measure] = formatCell(cells[c.measure], c.format);
	return shown as ShownCells;
}

/** A row ready for a page: its own fields (a school's name, phase and town) and shown cells, not its figures. */
function presentRow<R extends { figures: unknown; cells: Cells }>(row: R): Omit<R, 'figures' | 'cells'> & { cells: ShownCells } {
	const shown: Record<string, unknown> = {};
	for (const key in row) if (key !== 'figures' && key !== 'cells') shown[key] = row[key];
	shown.cells = presentCells(row.cells);
	return shown as Omit<R, 'figures' | 'cells'> & { cells: ShownCells };
}

/** A report table ready for a page: the figures dropped, only the shown cells kept. */
export function presentTable<R extends { figures: unknown }>(table: ReportTable<R>) {
	return {
		rows: table.rows.map(presentRow),
		total: presentCells(table.total),
		suppressed: table.suppressed,
		threshold: table.threshold
	};
}

export type PresentedTable<R> = {
	rows: (Omit<R, 'figures' | 'cells'> & { cells: ShownCells })[];
	total: ShownCells;
	suppressed: boolean;
	threshold: number | null;
};

export const reportColumns = columns.map(({ measure, label, people }) => ({ measure, label, people }));
