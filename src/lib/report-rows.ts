import { escapeHtml } from './html';
import type { Cells, ReportColumn, ShownCell } from './reports';

// The body rows of the report pages' tables as one string of HTML each, for {@html}: a
// county's by-school table is 600 rows of 19 cells and its chart's table 600 rows of 3, written
// on every request (see html.ts for why not as a template). Every value is escaped.

export interface ReportRow {
	name: string;
	href?: string;
	/** Words beside the name, such as a school's phase and town, by the key of their column. */
	text?: Record<string, string>;
	cells: Cells;
}

/** ReportTable's rows: the name as the row's heading (a link when it has an address), its words, then its figures as shown. */
export function reportRowsHtml(rows: readonly ReportRow[], columns: readonly ReportColumn[], textColumns: readonly { key: string }[]): string {
	let html = '';
	for (const row of rows) {
		const name = escapeHtml(row.name);
		html += row.href ? `<tr><th scope="row"><a class="govuk-link" href="${escapeHtml(row.href)}">${name}</a></th>` : `<tr><th scope="row">${name}</th>`;
		for (const column of textColumns) html += `<td>${escapeHtml(row.text?.[column.key] ?? '')}</td>`;
		for (const column of columns) html += `<td>${escapeHtml(row.cells[column.measure]?.text ?? '')}</td>`;
		html += '</tr>';
	}
	return html;
}

/** A chart's figures table's rows: each label as the row's heading, then each series' figure for it as shown. */
export function chartRowsHtml(labels: readonly string[], series: readonly { cells: readonly ShownCell[] }[]): string {
	let html = '';
	for (let i = 0; i < labels.length; i++) {
		html += `<tr><th scope="row">${escapeHtml(labels[i]!)}</th>`;
		for (const s of series) html += `<td>${escapeHtml(s.cells[i]?.text ?? '')}</td>`;
		html += '</tr>';
	}
	return html;
}
