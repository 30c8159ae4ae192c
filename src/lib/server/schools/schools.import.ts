import { readCsv, type ImportProblem } from '../csv';
import { invalidRows, ok, type Result } from '../result';
import type { SchoolValues } from './schools.schema';

/** 2 MB: a Get Information about Schools extract of one local authority (Kent's is about 1,000 rows) fits. */
export const SCHOOL_IMPORT_MAX_BYTES = 2 * 1024 * 1024;
export const SCHOOL_IMPORT_MAX_ROWS = 5000;
const COLUMNS = ['name', 'urn', 'phase', 'town'] as const;
const REQUIRED = ['name', 'phase', 'town'] as const;

export type { ImportProblem };

/** What a Get Information about Schools extract held beyond the schools read from it. */
export interface GiasSummary {
	district: string;
	/** Every district in the file, by name, for the person to choose another. */
	districts: string[];
	closed: number;
	otherDistricts: number;
}

export type ParsedFile = Result<{ rows: { row: number; values: SchoolValues }[]; gias?: GiasSummary }>;

/** The district a GIAS extract is read for unless the person chooses another. */
export const DEFAULT_GIAS_DISTRICT = 'Dover';

/**
 * Reads a schools CSV (any encoding and separator uploads.ts reads), either in the template's
 * columns (name, urn, phase, town) or as the DfE's "Get Information about Schools" establishment
 * download (edubasealldata*.csv; see giasRows).
 */
export function parseSchoolsCsv(text: string, options: { district?: string } = {}): ParsedFile {
	const read = readCsv(text, SCHOOL_IMPORT_MAX_BYTES);
	if (!read.ok) return read;
	const [first, ...data] = read.records;
	const header = first?.cells;
	if (!header) return invalidRows([{ message: 'The file is empty' }]);
	if (header.includes('URN') && header.includes('EstablishmentName')) return giasRows(header, data, options.district || DEFAULT_GIAS_DISTRICT);
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

const GIAS = {
	urn: 'URN',
	name: 'EstablishmentName',
	status: 'EstablishmentStatus (name)',
	phase: 'PhaseOfEducation (name)',
	type: 'TypeOfEstablishment (name)',
	lowAge: 'StatutoryLowAge',
	highAge: 'StatutoryHighAge',
	town: 'Town',
	district: 'DistrictAdministrative (name)'
} as const;

/**
 * The open schools of one district in a GIAS establishment download, in the template's terms,
 * with their GIAS row numbers. Matched by URN when imported, so a newer download updates names
 * and phases instead of adding schools again. The DfE's phases map to the partnership's:
 * special schools by their type; "Middle deemed primary/secondary" as they are deemed; "16 plus"
 * and further education as colleges; and where GIAS says "Not applicable", by the statutory age
 * range (up to 11 primary, from 11 secondary, across 11 all-through). Towns other than Dover,
 * Deal and Sandwich are the district's rural schools.
 */
function giasRows(header: string[], data: { cells: string[]; line: number }[], district: string): ParsedFile {
	const index = Object.fromEntries(Object.entries(GIAS).map(([key, name]) => [key, header.indexOf(name)])) as Record<keyof typeof GIAS, number>;
	const missing = Object.entries(GIAS).filter(([key]) => index[key as keyof typeof GIAS] < 0);
	if (missing.length > 0) {
		return invalidRows(
			missing.map(([, name]) => ({
				row: 1,
				column: name,
				message: `The Get Information about Schools file has no "${name}" column: download "all establishment fields"`
			}))
		);
	}
	const cell = (cells: string[], key: keyof typeof GIAS) => cells[index[key]] ?? '';
	const districts = [...new Set(data.map(({ cells }) => cell(cells, 'district')).filter(Boolean))].sort();
	const inDistrict = data.filter(({ cells }) => cell(cells, 'district').toLowerCase() === district.toLowerCase());
	const open = inDistrict.filter(({ cells }) => cell(cells, 'status').startsWith('Open'));
	if (open.length === 0) {
		return invalidRows([{ message: `The file has no open schools in the district "${district}": choose one of the districts it holds` }]);
	}
	if (open.length > SCHOOL_IMPORT_MAX_ROWS)
		return invalidRows([{ message: `The file has ${open.length} open schools in ${district}; import at most ${SCHOOL_IMPORT_MAX_ROWS} at a time` }]);
	return ok({
		rows: open.map(({ cells, line }) => ({
			row: line,
			values: {
				name: cell(cells, 'name'),
				urn: cell(cells, 'urn'),
				phase: giasPhase(cell(cells, 'phase'), cell(cells, 'type'), Number(cell(cells, 'lowAge')), Number(cell(cells, 'highAge'))),
				town: ['dover', 'deal', 'sandwich'].includes(cell(cells, 'town').trim().toLowerCase()) ? cell(cells, 'town').trim() : 'Rural'
			}
		})),
		gias: {
			district: inDistrict[0] ? cell(inDistrict[0].cells, 'district') : district,
			districts,
			closed: inDistrict.length - open.length,
			otherDistricts: data.length - inDistrict.length
		}
	});
}

/** The partnership's phase for a GIAS establishment; an unknown phase is passed on for validation to name. */
export function giasPhase(phase: string, type: string, lowAge: number, highAge: number): string {
	if (/special/i.test(type)) return 'special';
	if (/further education|sixth form centre/i.test(type)) return 'college';
	switch (phase) {
		case 'Nursery':
		case 'Primary':
		case 'Middle deemed primary':
			return 'primary';
		case 'Secondary':
		case 'Middle deemed secondary':
			return 'secondary';
		case 'All-through':
			return 'all-through';
		case '16 plus':
			return 'college';
	}
	if (Number.isFinite(lowAge) && Number.isFinite(highAge) && highAge > 0) {
		if (highAge <= 11) return 'primary';
		if (lowAge >= 11) return highAge > 16 && lowAge >= 16 ? 'college' : 'secondary';
		return 'all-through';
	}
	return phase;
}
