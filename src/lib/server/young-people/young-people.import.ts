import { readCsv, type ImportProblem } from '../csv';
import { searchKey } from '../../search-key';
import { invalidRows, ok, type Result } from '../result';
import { withTransaction, type Db } from '../db';
import { insertAuditEvent } from '../audit/audit.queries';
import type { Actor } from '../auth/session';
import { reportFiguresChanged } from '../reports/rollups';
import * as queries from './young-people.queries';
import { authoriseYoungPeople } from '../auth/policy';
import { requireSchoolList } from './young-people.service';
import {
	academicYearOf,
	matchKey,
	receptionYearFor,
	validateYoungPerson,
	youngPersonFields,
	type YoungPersonInput,
	type YoungPersonValues
} from './young-people.schema';

export const YOUNG_PEOPLE_IMPORT_MAX_BYTES = 2 * 1024 * 1024;
export const YOUNG_PEOPLE_IMPORT_MAX_ROWS = 10_000;
export const YOUNG_PEOPLE_TEMPLATE = 'first_name,last_name,year_group,gender,sen,free_school_meals\r\nAmira,Okafor,Y8,,,\r\n';

type Column = (typeof youngPersonFields)[number];
const REQUIRED: readonly Column[] = ['first_name', 'last_name', 'year_group'];

/** Header names as school office software writes them, folded to lower case with single spaces. */
const ALIASES: Record<string, Column> = {
	'first name': 'first_name',
	firstname: 'first_name',
	forename: 'first_name',
	'legal forename': 'first_name',
	'preferred forename': 'first_name',
	'last name': 'last_name',
	lastname: 'last_name',
	surname: 'last_name',
	'legal surname': 'last_name',
	'family name': 'last_name',
	'year group': 'year_group',
	yeargroup: 'year_group',
	year: 'year_group',
	'nc year': 'year_group',
	gender: 'gender',
	sex: 'gender',
	sen: 'sen',
	'free school meals': 'free_school_meals',
	fsm: 'free_school_meals'
};

export type { ImportProblem };

type ParsedFile = Result<{ rows: { row: number; values: YoungPersonValues }[] }>;

function columnOf(header: string): Column | undefined {
	const folded = header
		.trim()
		.toLowerCase()
		.replace(/[\s_-]+/g, ' ');
	return ALIASES[folded];
}

/**
 * Reads a young people CSV: UTF-8 with or without BOM, CRLF or LF, quoted fields, comma or
 * semicolon. Columns other than the template's are ignored and never stored (data minimisation).
 */
export function parseYoungPeopleCsv(text: string): ParsedFile {
	const read = readCsv(text, YOUNG_PEOPLE_IMPORT_MAX_BYTES);
	if (!read.ok) return read;
	const [header, ...data] = read.records;
	if (!header) return invalidRows([{ message: 'The file is empty' }]);
	const index = new Map<Column, number>();
	header.cells.forEach((name, i) => {
		const column = columnOf(name);
		if (column && !index.has(column)) index.set(column, i);
	});
	const missing = REQUIRED.filter((c) => !index.has(c));
	if (missing.length > 0) {
		return invalidRows(missing.map((c) => ({ row: 1, column: c, message: `The header row has no "${c}" column` })));
	}
	if (data.length === 0) return invalidRows([{ message: 'The file has a header row but no young people' }]);
	if (data.length > YOUNG_PEOPLE_IMPORT_MAX_ROWS) {
		return invalidRows([
			{ message: `The file has ${data.length} young people; import at most ${YOUNG_PEOPLE_IMPORT_MAX_ROWS.toLocaleString('en-GB')} at a time` }
		]);
	}
	const cell = (record: string[], column: Column) => {
		const i = index.get(column);
		return i === undefined ? '' : (record[i] ?? '');
	};
	return ok({
		rows: data.map(({ cells, line }) => ({
			row: line,
			values: Object.fromEntries(youngPersonFields.map((c) => [c, cell(cells, c)])) as YoungPersonValues
		}))
	});
}

/** Add a new young person, match one on the list, or restore an archived one with the same names. */
export type ImportOutcome = 'add' | 'match' | 'restore';
export interface ImportPlanRow extends YoungPersonInput {
	row: number;
	outcome: ImportOutcome;
	existingId?: string;
}
export type ImportPlan = Result<{ rows: ImportPlanRow[] }>;

/**
 * What a file would do, row by row: add a young person, match one already on the school's
 * list (same names, any case, and the same current year group), or restore one archived at the
 * school with the same names (by search key: any case, accents or punctuation), so that their
 * history stays on one record. Any bad row fails the plan.
 */
async function planImport(db: Db, schoolId: string, text: string, now: Date): Promise<ImportPlan> {
	const parsed = parseYoungPeopleCsv(text);
	if (!parsed.ok) return parsed;
	const academicYear = academicYearOf(now);
	const problems: ImportProblem[] = [];
	const valid: { row: number; input: YoungPersonInput; key: string }[] = [];
	const seen = new Map<string, number>();
	for (const { row, values } of parsed.rows) {
		const { errors, input } = validateYoungPerson(values);
		for (const [column, message] of Object.entries(errors)) problems.push({ row, column, message });
		if (Object.keys(errors).length > 0) continue;
		const key = matchKey(input.firstName, input.lastName, receptionYearFor(input.yearGroup, academicYear));
		const earlier = seen.get(key);
		if (earlier !== undefined) problems.push({ row, column: 'last_name', message: `The same young person is also on row ${earlier}` });
		else seen.set(key, row);
		valid.push({ row, input, key });
	}
	if (problems.length > 0) return invalidRows(problems);
	const existing = new Map<string, string>();
	for (const p of await queries.listYoungPeopleForMatching(db, schoolId)) {
		existing.set(matchKey(p.first_name, p.last_name, p.reception_year), p.id);
	}
	// Each archived record is offered once, to the first row with its names; most recently archived first.
	const archived = new Map<string, string[]>();
	for (const p of await queries.listArchivedForMatching(db, schoolId)) {
		const nameKey = `${p.first_key}\u0000${p.last_key}`;
		archived.set(nameKey, [...(archived.get(nameKey) ?? []), p.id]);
	}
	return ok({
		rows: valid.map(({ row, input, key }): ImportPlanRow => {
			const existingId = existing.get(key);
			if (existingId) return { row, ...input, outcome: 'match', existingId };
			const restoreId = archived.get(`${searchKey(input.firstName)}\u0000${searchKey(input.lastName)}`)?.shift();
			return restoreId ? { row, ...input, outcome: 'restore', existingId: restoreId } : { row, ...input, outcome: 'add' };
		})
	});
}

/** The import page and its template: school contacts, for their own school's list. */
export async function openYoungPeopleImport(db: Db, actor: Actor): Promise<{ template: string }> {
	await authoriseYoungPeople(db, actor, 'import');
	return { template: YOUNG_PEOPLE_TEMPLATE };
}

export async function previewYoungPeopleImport(db: Db, actor: Actor, schoolId: string, text: string, now: Date): Promise<ImportPlan> {
	await requireSchoolList(db, actor, schoolId, 'import');
	return planImport(db, schoolId, text, now);
}

/**
 * Applies a young people CSV all-or-nothing: checked again inside the transaction, with the
 * school locked so two imports take turns; new rows in multi-row inserts; one audit row of counts.
 */
export async function importYoungPeople(
	db: Db,
	actor: Actor,
	schoolId: string,
	text: string,
	now: Date
): Promise<Result<{ rows: ImportPlanRow[]; counts: { added: number; matched: number; restored: number } }>> {
	await requireSchoolList(db, actor, schoolId, 'import');
	const result = await withTransaction(db, async (trx) => {
		await queries.lockSchool(trx, schoolId);
		const plan = await planImport(trx, schoolId, text, now);
		if (!plan.ok) return plan;
		const academicYear = academicYearOf(now);
		const added = await queries.insertYoungPeople(
			trx,
			plan.rows
				.filter((r) => r.outcome === 'add')
				.map((r) => ({
					school_id: schoolId,
					first_name: r.firstName,
					last_name: r.lastName,
					reception_year: receptionYearFor(r.yearGroup, academicYear),
					gender: r.gender,
					sen: r.sen,
					free_school_meals: r.freeSchoolMeals
				}))
		);
		// A restored young person takes the file's year group: the school's list is the record of now.
		const restoring = plan.rows.filter((r) => r.outcome === 'restore');
		for (const r of restoring) {
			await queries.updateYoungPerson(trx, r.existingId!, { archived_at: null, reception_year: receptionYearFor(r.yearGroup, academicYear) });
			await insertAuditEvent(trx, {
				actorId: actor.id,
				action: 'young_person.restored',
				entityType: 'young_person',
				entityId: r.existingId!,
				detail: { schoolId, by: 'import' },
				address: actor.address
			});
		}
		const counts = { added, matched: plan.rows.length - added - restoring.length, restored: restoring.length };
		await insertAuditEvent(trx, {
			actorId: actor.id,
			action: 'young_person.imported',
			entityType: 'school',
			entityId: schoolId,
			detail: counts,
			address: actor.address
		});
		return ok({ rows: plan.rows, counts });
	});
	if (result.ok) reportFiguresChanged({});
	return result;
}
