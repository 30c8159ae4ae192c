import { withTransaction, type Db } from '../db';
import { insertAuditEvent } from '../audit/audit.queries';
import { canSeeSchool, refuse, requireRole } from '../auth/access';
import type { Actor } from '../auth/session';
import type { Gender, Role } from '../db/schema';
import type { FieldErrors } from '../errors';
import { UUID } from '../forms';
import { findSchool } from '../schools/schools.queries';
import * as queries from './young-people.queries';
import {
	academicYearOf,
	matchKey,
	receptionYearFor,
	validateYoungPerson,
	yearGroupIn,
	type PupilYearGroup,
	type YoungPersonInput,
	type YoungPersonValues
} from './young-people.schema';

// Audit rows name young people by id only: never a name, in an audit row or a log.

/** Who may keep a school's list: its own contacts, and admins and leads for any school. Report viewers never see names. */
const KEEPERS: readonly Role[] = ['admin', 'lead', 'school'];
const person = (entityId?: string) => ({ entityType: 'young_person', entityId });

/** The first line of every function on a school's list: a school the actor may not see is a 404, audited. */
export async function requireSchoolList(db: Db, actor: Actor, schoolId: string) {
	const target = { entityType: 'school', entityId: UUID.test(schoolId) ? schoolId : undefined };
	await requireRole(db, actor, KEEPERS, target);
	const school = UUID.test(schoolId) && canSeeSchool(actor, schoolId) ? await findSchool(db, schoolId) : undefined;
	return school ?? refuse(db, actor, target);
}

export interface YoungPersonListItem {
	id: string;
	first_name: string;
	last_name: string;
	year_group: PupilYearGroup;
	gender: Gender | null;
	sen: boolean | null;
	free_school_meals: boolean | null;
}

/** The school's young people with their year group at `now`; those who have left Year 13 are not listed. */
export async function listYoungPeople(
	db: Db,
	actor: Actor,
	schoolId: string,
	now: Date,
	filter: { search?: string } = {}
): Promise<YoungPersonListItem[]> {
	await requireSchoolList(db, actor, schoolId);
	const academicYear = academicYearOf(now);
	const rows = await queries.listYoungPeopleOfSchool(db, schoolId, { search: filter.search, minReceptionYear: academicYear - 13 });
	return rows.flatMap((r) => {
		const yearGroup = yearGroupIn(r.reception_year, academicYear);
		if (!yearGroup) return [];
		const { id, first_name, last_name, gender, sen, free_school_meals } = r;
		return [{ id, first_name, last_name, year_group: yearGroup, gender, sen, free_school_meals }];
	});
}

/** One current young person, for editing; outside the actor's school, archived or missing is a 404. */
export async function getYoungPerson(db: Db, actor: Actor, id: string, now: Date) {
	await requireRole(db, actor, KEEPERS, person(UUID.test(id) ? id : undefined));
	const found = UUID.test(id) ? await queries.findYoungPerson(db, id) : undefined;
	if (!found || found.archived_at || !canSeeSchool(actor, found.school_id)) return refuse(db, actor, person(UUID.test(id) ? id : undefined));
	const yearGroup = yearGroupIn(found.reception_year, academicYearOf(now));
	return { ...found, year_group: yearGroup };
}

export type SaveResult = { ok: true; id: string } | { ok: false; errors: FieldErrors };

function toRow(input: YoungPersonInput, now: Date) {
	return {
		first_name: input.firstName,
		last_name: input.lastName,
		reception_year: receptionYearFor(input.yearGroup, academicYearOf(now)),
		gender: input.gender,
		sen: input.sen,
		free_school_meals: input.freeSchoolMeals
	};
}

async function duplicateErrors(db: Db, schoolId: string, row: ReturnType<typeof toRow>, exceptId?: string): Promise<FieldErrors> {
	const key = matchKey(row.first_name, row.last_name, row.reception_year);
	const others = await queries.listYoungPeopleForMatching(db, schoolId);
	const clash = others.some((o) => o.id !== exceptId && matchKey(o.first_name, o.last_name, o.reception_year) === key);
	return clash ? { first_name: 'A young person with this name is already in this year group at the school' } : {};
}

export async function addYoungPerson(db: Db, actor: Actor, schoolId: string, values: YoungPersonValues, now: Date): Promise<SaveResult> {
	await requireSchoolList(db, actor, schoolId);
	const { errors, input } = validateYoungPerson(values);
	if (Object.keys(errors).length > 0) return { ok: false, errors };
	const row = toRow(input, now);
	return withTransaction(db, async (trx) => {
		await queries.lockSchool(trx, schoolId);
		const duplicates = await duplicateErrors(trx, schoolId, row);
		if (Object.keys(duplicates).length > 0) return { ok: false, errors: duplicates };
		const { id } = await queries.insertYoungPerson(trx, { school_id: schoolId, ...row });
		await insertAuditEvent(trx, { actorId: actor.id, action: 'young_person.created', ...person(id), detail: { schoolId }, address: actor.address });
		return { ok: true, id };
	});
}

export async function updateYoungPerson(db: Db, actor: Actor, id: string, values: YoungPersonValues, now: Date): Promise<SaveResult> {
	const current = await getYoungPerson(db, actor, id, now);
	const { errors, input } = validateYoungPerson(values);
	if (Object.keys(errors).length > 0) return { ok: false, errors };
	const row = toRow(input, now);
	const changed = (Object.keys(row) as (keyof typeof row)[]).filter((k) => row[k] !== current[k]);
	if (changed.length === 0) return { ok: true, id };
	return withTransaction(db, async (trx) => {
		await queries.lockSchool(trx, current.school_id);
		const duplicates = await duplicateErrors(trx, current.school_id, row, id);
		if (Object.keys(duplicates).length > 0) return { ok: false, errors: duplicates };
		await queries.updateYoungPerson(trx, id, row);
		// Field names only: the audit log says that a name changed, never what it was or became.
		const fields = changed.map((k) => (k === 'reception_year' ? 'year_group' : k));
		await insertAuditEvent(trx, { actorId: actor.id, action: 'young_person.updated', ...person(id), detail: { fields }, address: actor.address });
		return { ok: true, id };
	});
}

/** Takes a young person off the school's list; their attendance and awards stay for reports. */
export async function archiveYoungPerson(db: Db, actor: Actor, id: string, now: Date): Promise<void> {
	await getYoungPerson(db, actor, id, now);
	await withTransaction(db, async (trx) => {
		await queries.updateYoungPerson(trx, id, { archived_at: now });
		await insertAuditEvent(trx, { actorId: actor.id, action: 'young_person.archived', ...person(id), address: actor.address });
	});
}
