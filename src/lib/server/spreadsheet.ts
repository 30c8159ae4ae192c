import { strFromU8, unzipSync } from 'fflate';
import readExcelFile from 'read-excel-file/node';
import type { RowProblem } from './result';

// Excel workbooks (.xlsx) for imports. read-excel-file (maintained, no native code, already the
// tests' reader of our own exports) gives a sheet's values; the sheet's XML is read once more,
// with fflate (read-excel-file's own unzipper), for what it does not report: formulas and merged
// cells, which an import refuses with the cell named rather than trusting a stored result or
// guessing which row a merged name belongs to.
//
// The sheet becomes CSV text, one line per spreadsheet row (empty rows too), so the import's
// rows and problems carry the row numbers Excel shows, and the rest of an import (preview,
// confirm, all-or-nothing) is the CSV import's.

export interface Workbook {
	text: string;
	sheet: string;
	sheets: string[];
}

const csvCell = (value: unknown): string => {
	if (value === null || value === undefined) return '';
	const text = value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
	return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
};

/** The worksheet XML of each sheet, by name, in the workbook's order. */
function sheetXml(bytes: Uint8Array): Map<string, string> {
	const files = unzipSync(bytes, {
		filter: (file) => file.name === 'xl/workbook.xml' || file.name === 'xl/_rels/workbook.xml.rels' || file.name.startsWith('xl/worksheets/')
	});
	const text = (name: string) => (files[name] ? strFromU8(files[name]) : '');
	const targets = new Map(
		[...text('xl/_rels/workbook.xml.rels').matchAll(/<Relationship\b[^>]*>/g)].map(([tag]) => [attribute(tag, 'Id'), attribute(tag, 'Target')])
	);
	const sheets = new Map<string, string>();
	for (const [tag] of text('xl/workbook.xml').matchAll(/<sheet\b[^>]*>/g)) {
		const target = targets.get(attribute(tag, 'r:id')) ?? '';
		const path = target.startsWith('/') ? target.slice(1) : `xl/${target}`;
		sheets.set(unescapeXml(attribute(tag, 'name')), text(path));
	}
	return sheets;
}

function attribute(tag: string, name: string): string {
	return tag.match(new RegExp(`\\s${name}="([^"]*)"`))?.[1] ?? '';
}

function unescapeXml(text: string): string {
	return text.replace(/&(lt|gt|quot|apos|amp);/g, (_, entity: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[entity]!);
}

/** Formula cells and merged ranges of a sheet, each named by its cell as Excel shows it (B3). */
function cellsToRefuse(xml: string): RowProblem[] {
	const problems: RowProblem[] = [];
	for (const [, ref, body] of xml.matchAll(/<c\b[^>]*\br="([A-Z]+\d+)"[^>]*>(.*?)<\/c>/gs)) {
		if (/<f[\s>/]/.test(body!)) problems.push(cellProblem(ref!, 'This cell holds a formula: copy the column and paste it back as values, then save the file'));
	}
	for (const [, range] of xml.matchAll(/<mergeCell\b[^>]*\bref="([A-Z]+\d+):[A-Z]+\d+"/g)) {
		problems.push(cellProblem(range!, 'These cells are merged: unmerge them so each row has its own values, then save the file'));
	}
	return problems;
}

function cellProblem(ref: string, message: string): RowProblem {
	const [, letters, row] = ref.match(/^([A-Z]+)(\d+)$/)!;
	return { row: Number(row), column: letters, message };
}

/**
 * One sheet of an .xlsx file as CSV text (the first sheet unless `chosen` names another), or
 * what is wrong with it: not a workbook (a legacy .xls, say), no such sheet, a formula or a
 * merged cell (each named by row and column).
 */
export async function readWorkbook(bytes: Uint8Array, chosen?: string): Promise<Workbook | { problem: string } | { problems: RowProblem[] }> {
	let xml: Map<string, string>;
	let sheets: { sheet: string; data: unknown[][] }[];
	try {
		sheets = (await readExcelFile(Buffer.from(bytes))) as { sheet: string; data: unknown[][] }[];
		xml = sheetXml(bytes);
	} catch (error) {
		const code = (error as { code?: string }).code;
		if (code === 'XLS_FILE_NOT_SUPPORTED')
			return { problem: 'The selected file is an old Excel 97-2003 workbook (.xls): save it as an Excel workbook (.xlsx) or as CSV UTF-8' };
		return { problem: 'The selected file could not be read as an Excel workbook: save it again as .xlsx or as CSV UTF-8' };
	}
	const names = sheets.map((s) => s.sheet);
	const picked = chosen ? sheets.find((s) => s.sheet === chosen) : sheets[0];
	if (!picked) return { problem: chosen ? `The workbook has no sheet called "${chosen}"` : 'The workbook has no sheets' };
	const problems = cellsToRefuse(xml.get(picked.sheet) ?? '').map((p) => ({ ...p, column: `column ${p.column}` }));
	if (problems.length > 0) return { problems: problems.slice(0, 100) };
	const text = picked.data.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
	return { text, sheet: picked.sheet, sheets: names };
}
