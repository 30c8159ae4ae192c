import { parse } from 'csv-parse/sync';
import { invalidRows, ok, type Result, type RowProblem } from './result';

export type ImportProblem = RowProblem;

/** The delimiter of the header line: school office software writes commas or semicolons. */
function detectDelimiter(text: string): string {
	const header = text.slice(0, text.search(/\r?\n|$/));
	return (header.match(/;/g)?.length ?? 0) > (header.match(/,/g)?.length ?? 0) ? ';' : ',';
}

/**
 * Reads a CSV file as school office software writes it: UTF-8 with or without BOM, CRLF or LF,
 * quoted fields, comma or semicolon. Each record comes with the line it ends on.
 */
export function readCsv(text: string, maxBytes: number): Result<{ records: { cells: string[]; line: number }[] }> {
	if (new TextEncoder().encode(text).length > maxBytes) {
		return invalidRows([{ message: `The file must be smaller than ${Math.round(maxBytes / 1024 / 1024)} MB` }]);
	}
	try {
		// With `info`, csv-parse gives each record with where it ended; its types do not say so.
		const records = parse(text, {
			bom: true,
			delimiter: detectDelimiter(text.replace(/^\uFEFF/, '')),
			skip_empty_lines: true,
			relax_column_count: true,
			trim: true,
			info: true
		}) as unknown as { record: string[]; info: { lines: number } }[];
		return ok({ records: records.map(({ record, info }) => ({ cells: record, line: info.lines })) });
	} catch (error) {
		// csv-parse's messages quote the offending text, which may be a child's name: say only where.
		const line = (error as { lines?: number }).lines;
		return invalidRows([{ row: line, message: 'The file could not be read as CSV: check the quotation marks on this row' }]);
	}
}
