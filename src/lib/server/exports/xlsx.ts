/**
 * XLSX export: one workbook of named sheets. Written with write-excel-file: maintained, one small
 * dependency (fflate), ESM with its own types; exceljs would bring ~190 packages through an old
 * zip chain for features these exports do not use.
 *
 * API
 *   toXlsx(sheets: readonly ExportSheet[]): Promise<Buffer>
 *       sheet = { name: string; header: readonly string[]; rows: readonly (readonly ExportValue[])[];
 *                 widths?: readonly (number | undefined)[] }.
 *       The header row is bold and stays in view when scrolling. Numbers are number cells (so
 *       they add up in Excel); text cells go through escapeFormula like CSV, and are stored as
 *       text, never as formulas. Column widths, in characters, are worked out from the longest
 *       text in each column (8 to 60) unless `widths` gives one. Throws RangeError for no sheets,
 *       or a sheet name Excel refuses: empty, over 31 characters, holding any of [ ] : * ? / \,
 *       starting or ending with an apostrophe, or the same as another ignoring case.
 *   XLSX_CONTENT_TYPE
 */
import writeXlsxFile, { type Cell, type Row } from 'write-excel-file/node';
import { escapeFormula, exportText, isExportDay, isWritableNumber, type ExportValue } from './formula';
import type { ExportTable } from './csv';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface ExportSheet extends ExportTable {
	name: string;
	widths?: readonly (number | undefined)[];
}

const MIN_WIDTH = 8;
const MAX_WIDTH = 60;

function checkNames(sheets: readonly ExportSheet[]): void {
	if (sheets.length === 0) throw new RangeError('A workbook needs at least one sheet');
	const seen = new Set<string>();
	for (const { name } of sheets) {
		if (name.trim() === '' || name.length > 31) throw new RangeError(`Sheet name "${name}" must be 1 to 31 characters`);
		if (/[[\]:*?/\\]/.test(name)) throw new RangeError(`Sheet name "${name}" must not contain [ ] : * ? / or \\`);
		if (name.startsWith("'") || name.endsWith("'")) throw new RangeError(`Sheet name "${name}" must not start or end with an apostrophe`);
		const key = name.toLocaleLowerCase('en-GB');
		if (seen.has(key)) throw new RangeError(`Sheet name "${name}" is used twice`);
		seen.add(key);
	}
}

function cell(value: ExportValue): Cell {
	if (isWritableNumber(value)) return { value, type: Number };
	// Midnight UTC of the day: Excel keeps no time zone, so the cell reads as that day everywhere.
	if (isExportDay(value)) return { value: new Date(`${value.day}T00:00:00Z`), type: Date, format: 'd mmm yyyy' };
	if (typeof value !== 'string' || value === '') return null;
	return { value: escapeFormula(value), type: String };
}

/** The longest line of text in each column, header included, as Excel's character widths. */
function widthsOf(sheet: ExportSheet): number[] {
	const columns = Math.max(sheet.header.length, ...sheet.rows.map((row) => row.length));
	return Array.from({ length: columns }, (_, c) => {
		const given = sheet.widths?.[c];
		if (given !== undefined) return given;
		const texts = [sheet.header[c], ...sheet.rows.map((row) => row[c])].map((value) => exportText(value));
		const longest = Math.max(0, ...texts.flatMap((text) => text.split(/\r\n|\r|\n/).map((line) => line.length)));
		return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, longest + 2));
	});
}

export async function toXlsx(sheets: readonly ExportSheet[]): Promise<Buffer> {
	checkNames(sheets);
	return writeXlsxFile(
		sheets.map((sheet) => {
			const header: Row = sheet.header.map((text) => ({ value: escapeFormula(text), type: String, fontWeight: 'bold' }));
			const rows: Row[] = sheet.rows.map((row) => row.map(cell));
			return {
				sheet: sheet.name,
				data: [header, ...rows],
				columns: widthsOf(sheet).map((width) => ({ width })),
				stickyRowsCount: 1
			};
		})
	).toBuffer();
}
