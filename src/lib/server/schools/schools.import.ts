import { readCsv, type ImportProblem } from '../csv';
import { invalidRows, ok, type Result } from '../result';
import type { SchoolValues } from './schools.schema';

export const SCHOOL_IMPORT_MAX_BYTES = 1024 * 1024;
export const SCHOOL_IMPORT_MAX_ROWS = 5000;
const COLUMNS = ['name', 'urn', 'phase', 'town'] as const;
const REQUIRED = ['name', 'phase', 'town'] as const;

export type { ImportProblem };

export type ParsedFile = Result<{ rows: { row: number; values: SchoolValues }[] }>;

/** Reads a schools CSV (UTF-8 with or without BOM, CRLF or LF, quoted fields, comma or semicolon). */
export function parseSchoolsCsv(text: string): ParsedFile {
	const read = readCsv(text, SCHOOL_IMPORT_MAX_BYTES);
	if (!read.ok) return read;
	const [first, ...data] = read.records;
	const header = first?.cells;
	if (!header) return invalidRows([{ message: 'The file is empty' }]);
	const names = header.map((h) => h.trim().toLowerCase());
	const missing = REQUIRED.filter((c) => !names.includes(c));
	if (missing.length > 0) {
		return invalidRows(missing.map((c) => ({ row: 1, column: c, message: `The header row has no "${c}" column` })));
	}
	if (data.length === 0) return invalidRows([{ message: 'The file has a header row but no schools' }]);
	if (data.length > SCHOOL_IMPORT_MAX_ROWS) {
		return invalidRows([{ message: `The file has ${data.length} schools; import at most ${SCHOOL_IMPORT_MAX_ROWS} at a time` }]);
	}
	const index = Object.fromEntries(COLUMNS.map((c) => [c, names.indexOf(c)])) as Record<(typeof COLUMNS)[number], number>;
	return ok({
		rows: data.map(({ cells, line }) => ({
			row: line,
			values: {
				name: cells[index.name] ?? '',
				urn: index.urn >= 0 ? (cells[index.urn] ?? '') : '',
				phase: cells[index.phase] ?? '',
				town: cells[index.town] ?? ''
			}
		}))
	});
}
