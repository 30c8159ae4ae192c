import { parse } from 'csv-parse/sync';
import type { SchoolValues } from './schools.schema';

export const SCHOOL_IMPORT_MAX_BYTES = 1024 * 1024;
export const SCHOOL_IMPORT_MAX_ROWS = 5000;
const COLUMNS = ['name', 'urn', 'phase', 'town'] as const;
const REQUIRED = ['name', 'phase', 'town'] as const;

export interface ImportProblem {
	/** The row as a spreadsheet numbers it: the header is row 1. Undefined for the whole file. */
	row?: number;
	column?: string;
	message: string;
}

export type ParsedFile = { ok: true; rows: { row: number; values: SchoolValues }[] } | { ok: false; problems: ImportProblem[] };

/** The delimiter of the header line: school office software writes commas or semicolons. */
function detectDelimiter(text: string): string {
	const header = text.slice(0, text.search(/\r?\n|$/));
	return (header.match(/;/g)?.length ?? 0) > (header.match(/,/g)?.length ?? 0) ? ';' : ',';
}

/** Reads a schools CSV (UTF-8 with or without BOM, CRLF or LF, quoted fields, comma or semicolon). */
export function parseSchoolsCsv(text: string): ParsedFile {
	if (new TextEncoder().encode(text).length > SCHOOL_IMPORT_MAX_BYTES) {
		return { ok: false, problems: [{ message: 'The file must be smaller than 1 MB' }] };
	}
	let records: string[][];
	try {
		records = parse(text, {
			bom: true,
			delimiter: detectDelimiter(text.replace(/^\uFEFF/, '')),
			skip_empty_lines: true,
			relax_column_count: true,
			trim: true
		});
	} catch (error) {
		const line = (error as { lines?: number }).lines;
		return {
			ok: false,
			problems: [{ row: line, message: `The file could not be read as CSV: ${(error as Error).message.replace(/^Invalid Record Length: /, '')}` }]
		};
	}
	const [header, ...data] = records;
	if (!header) return { ok: false, problems: [{ message: 'The file is empty' }] };
	const names = header.map((h) => h.trim().toLowerCase());
	const missing = REQUIRED.filter((c) => !names.includes(c));
	if (missing.length > 0) {
		return {
			ok: false,
			problems: missing.map((c) => ({ row: 1, column: c, message: `The header row has no "${c}" column` }))
		};
	}
	if (data.length === 0) return { ok: false, problems: [{ message: 'The file has a header row but no schools' }] };
	if (data.length > SCHOOL_IMPORT_MAX_ROWS) {
		return { ok: false, problems: [{ message: `The file has ${data.length} schools; import at most ${SCHOOL_IMPORT_MAX_ROWS} at a time` }] };
	}
	const index = Object.fromEntries(COLUMNS.map((c) => [c, names.indexOf(c)])) as Record<(typeof COLUMNS)[number], number>;
	return {
		ok: true,
		rows: data.map((record, i) => ({
			row: i + 2,
			values: {
				name: record[index.name] ?? '',
				urn: index.urn >= 0 ? (record[index.urn] ?? '') : '',
				phase: record[index.phase] ?? '',
				town: record[index.town] ?? ''
			}
		}))
	};
}
