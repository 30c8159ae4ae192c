import { exportValue, type Cell } from './disclosure';
import { columns, type Cells, type ReportTable } from './report-table';

// A report table as rows for a CSV or XLSX file: numbers stay numbers (percentages as 0 to
// 100, hours to one decimal place), hidden cells are `c`, figures that do not apply are empty.

/** One cell as a file holds it; 'change' (a mean change) keeps two decimal places. */
export function exportCell(cell: Cell, format: 'count' | 'percent' | 'hours' | 'change'): string | number | null {
	const shown = exportValue(cell);
	if (typeof shown === 'string') return shown;
	if (!Number.isFinite(shown)) return null;
	if (format === 'percent') return Math.round(shown * 1000) / 10;
	if (format === 'hours') return Math.round(shown * 10) / 10;
	if (format === 'change') return Math.round(shown * 100) / 100;
	return shown;
}

export const exportHeader = columns.map((c) => (c.format === 'percent' ? `${c.label} (%)` : c.label));

export function exportCells(cells: Cells): (string | number | null)[] {
	return columns.map((c) => exportCell(cells[c.measure], c.format));
}

/** The table's rows, each led by `lead(row)`, then a total row led by `totalLead`. */
export function exportRows<R>(table: ReportTable<R>, lead: (row: R) => (string | number | null)[], totalLead: (string | number | null)[]) {
	return [...table.rows.map((row) => [...lead(row), ...exportCells(row.cells)]), [...totalLead, ...exportCells(table.total)]];
}
