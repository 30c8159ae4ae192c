import { parse } from 'csv-parse/sync';
import { invalidRows, ok, type Result, type RowProblem } from './result';

export type ImportProblem = RowProblem;

/** The separators school office software writes, as the import's preview names them. */
export const separatorNames = { ',': 'comma', ';': 'semicolon', '\t': 'tab' } as const;
export type Separator = keyof typeof separatorNames;

/**
 * The separator of the header line: the one of comma, semicolon and tab it holds most of,
 * outside quotes (Excel writes semicolons where the decimal mark is a comma, and "Unicode
 * text" with tabs). A one-column file is comma separated.
 */
export function detectSeparator(text: string): Separator {
	const header = text.slice(0, text.search(/\r?\n|$/)).replace(/"[^"]*"/g, '');
	const counts = (Object.keys(separatorNames) as Separator[]).map((s) => [s, header.split(s).length - 1] as const);
	const [best] = [...counts].sort((a, b) => b[1] - a[1]);
	return best && best[1] > 0 ? best[0] : ',';
}

/**
 * Control characters (C0 but tab and line breaks, DEL, C1) are never stored: they are invisible,
 * break exports and searches, and come from a file read in the wrong encoding.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/**
 * Reads a CSV file as school office software writes it, from text already decoded (see
 * uploads.ts): BOM or none, CRLF or LF, quoted fields, comma, semicolon or tab. Rows with every
 * cell empty (Excel's `,,,` below a table) and blank lines are skipped; a control character
 * anywhere refuses the file, naming its row and column. Each record comes with the line it ends on.
 */
export function readCsv(text: string, maxBytes: number): Result<{ records: { cells: string[]; line: number }[]; separator: Separator }> {
	if (new TextEncoder().encode(text).length > maxBytes) {
		return invalidRows([{ message: `The file must be smaller than ${Math.round(maxBytes / 1024 / 1024)} MB` }]);
	}
	const body = text.replace(/^\uFEFF/, '');
	const separator = detectSeparator(body);
	let parsed: { record: string[]; info: { lines: number } }[];
	try {
		// With `info`, csv-parse gives each record with where it ended; its types do not say so.
		parsed = parse(body, {
			delimiter: separator,
			skip_empty_lines: true,
			skip_records_with_empty_values: true,
			relax_column_count: true,
			trim: true,
			info: true
		}) as unknown as { record: string[]; info: { lines: number } }[];
	} catch (error) {
		// csv-parse's messages quote the offending text, which may be a child's name: say only where.
		const line = (error as { lines?: number }).lines;
		return invalidRows([{ row: line, message: 'The file could not be read as CSV: check the quotation marks on this row' }]);
	}
	// A row of nothing but separators is empty whichever separator the file uses (Excel's `,,,`
	// below a semicolon-separated table, say).
	const records = parsed
		.filter(({ record }) => !record.every((cell) => /^[,;\t\s]*$/.test(cell)))
		.map(({ record, info }) => ({ cells: record, line: info.lines }));
	const header = records[0]?.cells ?? [];
	const problems: RowProblem[] = [];
	for (const { cells, line } of records) {
		cells.forEach((cell, i) => {
			if (CONTROL.test(cell)) {
				problems.push({
					row: line,
					column: header[i] || `column ${i + 1}`,
					message: 'This cell holds an invisible control character: retype it, or save the file again as "CSV UTF-8"'
				});
			}
		});
	}
	if (problems.length > 0) return invalidRows(problems.slice(0, 100));
	return ok({ records, separator });
}
