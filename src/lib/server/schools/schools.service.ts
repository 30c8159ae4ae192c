import { withTransaction, type Db } from '../db';
import { insertAuditEvent, insertAuditEvents } from '../audit/audit.queries';
import { authoriseSchool, maySeeSchoolContacts, refuse } from '../auth/policy';
import type { Actor } from '../auth/session';
import type { School } from '../db/schema';
import { hasErrors, invalid, invalidRows, ok, type FieldErrors, type Result } from '../result';
import { reportFiguresChanged } from '../reports/rollups';
import { validateSchool, type SchoolInput, type SchoolValues } from './schools.schema';
import { phaseLabel } from '../../schools';
import { staleEdit, versionOf, type ShownValues } from '../edit-versions';
import { parseSchoolsCsv, type GiasSummary, type ImportProblem } from './schools.import';
import * as queries from './schools.queries';
import { listUsers } from '../users/users.queries';
import { pageOf, pagingForPage } from '../paging';

const target = (entityId?: string) => ({ entityType: 'school', entityId });

/** The district's schools: for admins and programme leads, who book and report on their behalf. */
export async function listSchools(db: Db, actor: Actor, filter: queries.SchoolFilter) {
	await authoriseSchool(db, actor, 'list');
	return queries.listSchools(db, { ...filter, includeInactive: actor.role === 'admin' && filter.includeInactive });
}

/** A page of the schools list (see paging.ts): past the end, the last page. */
export async function listSchoolsPage(db: Db, actor: Actor, filter: queries.SchoolFilter, page: number) {
	await authoriseSchool(db, actor, 'list');
	const query = {
		...filter,
		includeInactive: actor.role === 'admin' && filter.includeInactive,
		withoutContact: actor.role === 'admin' && filter.withoutContact
	};
	const paging = pageOf(page, await queries.countSchools(db, query));
	return { schools: await queries.listSchools(db, query, paging), paging: pagingForPage(paging) };
}

/** One school; a school contact may see only their own, and anyone else's is a 404. */
export async function getSchool(db: Db, actor: Actor, id: string): Promise<School> {
	await authoriseSchool(db, actor, 'see', id);
	return (await queries.findSchool(db, id)) ?? refuse(db, actor, target(id));
}

/** The new school form: admins only. */
export async function openNewSchool(db: Db, actor: Actor): Promise<void> {
	await authoriseSchool(db, actor, 'create');
}

/** A school for its edit form: admins only. */
export async function getSchoolForEditing(db: Db, actor: Actor, id: string): Promise<School> {
	await authoriseSchool(db, actor, 'edit', id);
	return getSchool(db, actor, id);
}

/** The import page and its template file: admins only. */
export async function openSchoolImport(db: Db, actor: Actor): Promise<{ template: string }> {
	await authoriseSchool(db, actor, 'import');
	return { template: 'name,urn,phase,town\r\nExample Primary School,123456,primary,Dover\r\n' };
}

async function duplicateErrors(db: Db, input: SchoolInput, exceptId?: string): Promise<FieldErrors> {
	const others = (await queries.listSchoolsByNameOrUrn(db, [input.name], input.urn ? [input.urn] : [])).filter((s) => s.id !== exceptId);
	const errors: FieldErrors = {};
	if (others.some((s) => s.name.toLowerCase() === input.name.toLowerCase())) errors.name = 'A school with this name already exists';
	if (input.urn && others.some((s) => s.urn === input.urn)) errors.urn = 'A school with this URN already exists';
	return errors;
}

export async function createSchool(db: Db, actor: Actor, values: SchoolValues): Promise<Result<{ id: string }>> {
	await authoriseSchool(db, actor, 'create');
	const { errors, input } = validateSchool(values);
	if (hasErrors(errors)) return invalid(errors);
	const duplicates = await duplicateErrors(db, input);
	if (hasErrors(duplicates)) return invalid(duplicates);
	const id = await withTransaction(db, async (trx) => {
		const { id } = await queries.insertSchool(trx, input);
		await insertAuditEvent(trx, { actorId: actor.id, action: 'school.created', ...target(id), address: actor.address });
		return id;
	});
	reportFiguresChanged({});
	return ok({ id });
}

/**
 * Saves a school's details from its edit form, opened on version `basedOn` (see
 * edit-versions.ts): if someone else has saved the school since, nothing is saved.
 */
export async function updateSchool(db: Db, actor: Actor, id: string, values: SchoolValues, basedOn = ''): Promise<Result<{ id: string }>> {
	await getSchoolForEditing(db, actor, id);
	const { errors, input } = validateSchool(values);
	if (hasErrors(errors)) return invalid(errors);
	const duplicates = await duplicateErrors(db, input, id);
	if (hasErrors(duplicates)) return invalid(duplicates);
	const result = await withTransaction(db, async (trx): Promise<Result<{ changed: string[] }>> => {
		const school = await queries.lockSchool(trx, id);
		if (!school) return { ok: false, code: 'not_found' };
		const changed = (['name', 'urn', 'phase', 'town'] as const).filter((key) => input[key] !== school[key]);
		if (changed.length === 0) return ok({ changed });
		const stale = staleEdit({
			noun: 'This school',
			basedOn,
			mine: shownSchool(input),
			saved: shownSchool(school),
			labels: schoolLabels,
			savedAt: school.updated_at
		});
		if (stale) return stale;
		await queries.updateSchool(trx, id, input);
		await insertAuditEvent(trx, {
			actorId: actor.id,
			action: 'school.updated',
			...target(id),
			detail: { fields: changed },
			address: actor.address
		});
		return ok({ changed });
	});
	if (!result.ok) return result;
	if (result.changed.length > 0) schoolsChanged(result.changed.includes('phase') ? [id] : []);
	return ok({ id });
}

/** The version of a school its edit form is opened on (see edit-versions.ts). */
export const schoolFormVersion = (school: School): string => versionOf(shownSchool(school));

const schoolLabels = { name: 'School name', urn: 'URN', phase: 'Phase', town: 'Town' };

/** A school's details as its form shows them. */
function shownSchool(school: SchoolInput): ShownValues {
	return { name: school.name, urn: school.urn ?? '', phase: phaseLabel(school.phase), town: school.town };
}

/**
 * After schools were changed: the reports kept anywhere go (a name shows as it is now), and a
 * school given a new phase moves in the reach by phase of every period it was reached in, which
 * those periods' recount does (migration 20261209T0100), not a whole rebuild.
 */
function schoolsChanged(rephased: string[]): void {
	reportFiguresChanged(rephased.length > 0 ? { rephased } : {});
}

/** Deactivated schools leave lists and bookings but keep their history for reports. */
export async function setSchoolActive(db: Db, actor: Actor, id: string, active: boolean): Promise<void> {
	const school = await getSchoolForEditing(db, actor, id);
	if (school.active === active) return;
	await withTransaction(db, async (trx) => {
		await queries.updateSchool(trx, id, { active });
		await insertAuditEvent(trx, {
			actorId: actor.id,
			action: active ? 'school.reactivated' : 'school.deactivated',
			...target(id),
			address: actor.address
		});
	});
	reportFiguresChanged({});
}

export type ImportOutcome = 'add' | 'update' | 'unchanged';
export interface ImportPlanRow {
	row: number;
	input: SchoolInput;
	outcome: ImportOutcome;
	existingId?: string;
	/** An existing school the row gives another phase. */
	newPhase: boolean;
}
export type ImportPlan = Result<{ rows: ImportPlanRow[]; gias?: GiasSummary }>;

/**
 * Works out what a CSV would do, row by row: add a school, update one matched by URN or name,
 * or leave one unchanged. Any bad row makes the whole plan fail, naming each row and column.
 */
async function planImport(db: Db, text: string, options: ImportOptions): Promise<ImportPlan> {
	const parsed = parseSchoolsCsv(text, options);
	if (!parsed.ok) return parsed;
	const problems: ImportProblem[] = [];
	const valid: { row: number; input: SchoolInput }[] = [];
	for (const { row, values } of parsed.rows) {
		const { errors, input } = validateSchool(values, 'file');
		for (const [column, message] of Object.entries(errors)) problems.push({ row, column, message });
		if (Object.keys(errors).length === 0) valid.push({ row, input });
	}
	const seenNames = new Map<string, number>();
	const seenUrns = new Map<string, number>();
	for (const { row, input } of valid) {
		const key = input.name.toLowerCase();
		if (seenNames.has(key)) problems.push({ row, column: 'name', message: `The same school is also on row ${seenNames.get(key)}` });
		else seenNames.set(key, row);
		if (input.urn && seenUrns.has(input.urn)) problems.push({ row, column: 'urn', message: `The same URN is also on row ${seenUrns.get(input.urn)}` });
		else if (input.urn) seenUrns.set(input.urn, row);
	}
	const existing = await queries.listSchoolsByNameOrUrn(
		db,
		valid.map((v) => v.input.name),
		valid.flatMap((v) => (v.input.urn ? [v.input.urn] : []))
	);
	const rows: ImportPlanRow[] = [];
	for (const { row, input } of valid) {
		const byUrn = input.urn ? existing.find((s) => s.urn === input.urn) : undefined;
		const byName = existing.find((s) => s.name.toLowerCase() === input.name.toLowerCase());
		if (byUrn && byName && byUrn.id !== byName.id) {
			problems.push({ row, column: 'urn', message: `This URN belongs to ${byUrn.name}, but the name is of another school` });
			continue;
		}
		const match = byUrn ?? byName;
		if (match && input.urn === null && match.urn !== null) input.urn = match.urn; // a blank URN does not erase one
		if (match && match.urn && input.urn && match.urn !== input.urn) {
			problems.push({ row, column: 'urn', message: `${match.name} already has the URN ${match.urn}` });
			continue;
		}
		const same = match && (['name', 'urn', 'phase', 'town'] as const).every((k) => match[k] === input[k]) && match.active;
		rows.push({ row, input, outcome: !match ? 'add' : same ? 'unchanged' : 'update', existingId: match?.id, newPhase: !!match && match.phase !== input.phase });
	}
	if (problems.length > 0) return invalidRows(problems.sort((a, b) => (a.row ?? 0) - (b.row ?? 0)));
	return ok({ rows, gias: parsed.gias });
}

/** How to read a file: for a GIAS extract, the district whose schools to take. */
export interface ImportOptions {
	district?: string;
}

export async function previewSchoolImport(db: Db, actor: Actor, text: string, options: ImportOptions = {}): Promise<ImportPlan> {
	await authoriseSchool(db, actor, 'import');
	return planImport(db, text, options);
}

/** Applies a schools CSV all-or-nothing: either every row is saved or none is. */
export async function importSchools(
	db: Db,
	actor: Actor,
	text: string,
	options: ImportOptions = {}
): Promise<Result<{ rows: ImportPlanRow[]; counts: { added: number; updated: number; unchanged: number } }>> {
	await authoriseSchool(db, actor, 'import');
	let rephased: string[] = [];
	const imported = await withTransaction(db, async (trx) => {
		const plan = await planImport(trx, text, options);
		// Checked at the preview, so problems now mean the schools changed in between.
		if (!plan.ok)
			return invalidRows(
				plan.code === 'invalid' ? (plan.problems ?? []) : [],
				'The schools changed since the preview and the file now has problems: nothing has been imported'
			);
		const added = await queries.insertSchools(
			trx,
			plan.rows.filter((r) => r.outcome === 'add').map((r) => r.input)
		);
		const updated = plan.rows.filter((r) => r.outcome === 'update');
		rephased = updated.filter((r) => r.newPhase).map((r) => r.existingId!);
		for (const { existingId, input } of updated) await queries.updateSchool(trx, existingId!, { ...input, active: true });
		const counts = { added: added.length, updated: updated.length, unchanged: plan.rows.length - added.length - updated.length };
		const event = (action: string, id?: string) => ({
			actorId: actor.id,
			action,
			...target(id),
			detail: { via: 'import' },
			address: actor.address
		});
		await insertAuditEvents(trx, [
			{ ...event('school.imported'), detail: counts },
			...added.map(({ id }) => event('school.created', id)),
			...updated.map(({ existingId }) => event('school.updated', existingId))
		]);
		return ok({ rows: plan.rows, counts });
	});
	if (imported.ok) schoolsChanged(rephased);
	return imported;
}

/** The people with access for a school: admins see them all, a contact sees their colleagues. */
export async function listSchoolContacts(db: Db, actor: Actor, schoolId: string) {
	if (!maySeeSchoolContacts(actor, schoolId)) return [];
	const users = await listUsers(db, { schoolId, role: 'school' });
	return users.filter((u) => actor.role === 'admin' || u.status === 'active').map((u) => ({ id: u.id, name: u.name, email: u.email, status: u.status }));
}
