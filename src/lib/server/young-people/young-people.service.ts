import { withTransaction, type Db } from '../db';
import { insertAuditEvent } from '../audit/audit.queries';
import { authoriseSchoolList, authoriseYoungPeople, authoriseYoungPerson, refuse, schoolsInReach, type SchoolListAction } from '../auth/policy';
import type { Actor } from '../auth/session';
import type { Gender } from '../db/schema';
import { conflict, hasErrors, invalid, ok, refused, type FieldErrors, type Result } from '../result';
import { pageOf, pagingForPage } from '../paging';
import { reportFiguresChanged } from '../reports/rollups';
import { UUID } from '../forms';
import { staleEdit, versionOf, type ShownValues } from '../edit-versions';
import { yearGroupLabels } from '../../year-groups';
import { defaultLevelLabels } from '../awards/awards.rules';
import { findSchool, listSchools } from '../schools/schools.queries';
import * as queries from './young-people.queries';
import {
	academicYearOf,
	genderLabels,
	matchKey,
	receptionYearFor,
	validateYoungPerson,
	yearGroupIn,
	type PupilYearGroup,
	type YoungPersonInput,
	type YoungPersonValues
} from './young-people.schema';

// Audit rows name young people by id only: never a name, in an audit row or a log.
// Who may keep a school's list, and see each young person, is in auth/policy.ts.

const person = (entityId?: string) => ({ entityType: 'young_person', entityId: entityId && UUID.test(entityId) ? entityId : undefined });

/** The first line of every function on a school's list: a school the actor may not keep is a 404, audited. */
export async function requireSchoolList(db: Db, actor: Actor, schoolId: string, action: SchoolListAction = 'list') {
	await authoriseSchoolList(db, actor, action, schoolId);
	return (await findSchool(db, schoolId)) ?? refuse(db, actor, { entityType: 'school', entityId: schoolId });
}

/** The young people's page before a school is chosen: admins, leads and school contacts. */
export async function openYoungPeople(db: Db, actor: Actor): Promise<void> {
	await authoriseYoungPeople(db, actor, 'keep');
}

/** The schools whose lists the actor may open: every active school for admins, a lead's schools in reach, a contact's own. */
export async function listSchoolChoices(db: Db, actor: Actor): Promise<{ id: string; name: string }[]> {
	await authoriseYoungPeople(db, actor, 'keep');
	if (actor.role === 'admin') return (await listSchools(db)).map(({ id, name }) => ({ id, name }));
	if (actor.role === 'lead') return (await schoolsInReach(db, actor)) ?? [];
	const own = actor.schoolId ? await findSchool(db, actor.schoolId) : undefined;
	return own ? [{ id: own.id, name: own.name }] : [];
}

/** A young person the actor may see (archived ones only when asked for); anything else is a 404, audited. */
async function requireYoungPerson(db: Db, actor: Actor, id: string, options: { archived?: boolean; action?: 'see' | 'edit' } = {}) {
	const found = UUID.test(id) ? await queries.findYoungPersonWithSchool(db, id) : undefined;
	const current = found && (!found.archived_at || options.archived) ? found : undefined;
	return authoriseYoungPerson(db, actor, options.action ?? 'see', id, current);
}

export interface YoungPersonListItem {
	id: string;
	first_name: string;
	last_name: string;
	/** Null once they have left school (past Year 13). */
	year_group: PupilYearGroup | null;
	gender: Gender | null;
	sen: boolean | null;
	free_school_meals: boolean | null;
	archived: boolean;
	left: boolean;
}

export interface YoungPeopleListFilter {
	search?: string;
	/** Archived young people too, tagged. */
	includeArchived?: boolean;
	/** Those past Year 13 this academic year too, tagged. */
	includeLeft?: boolean;
	/** The page asked for (see paging.ts); past the end, the last page. */
	page?: number;
}

/**
 * A page of the school's young people with their year group at `now`. Archived young people
 * and those who have left Year 13 are listed only when the filter asks for them.
 */
export async function listYoungPeople(db: Db, actor: Actor, schoolId: string, now: Date, filter: YoungPeopleListFilter = {}) {
	await requireSchoolList(db, actor, schoolId);
	const academicYear = academicYearOf(now);
	const query: queries.YoungPeopleFilter = {
		search: filter.search,
		includeArchived: filter.includeArchived,
		minReceptionYear: filter.includeLeft ? undefined : academicYear - 13,
		maxReceptionYear: academicYear
	};
	const paging = pageOf(filter.page ?? 1, await queries.countYoungPeopleOfSchool(db, schoolId, query));
	const rows = await queries.listYoungPeopleOfSchool(db, schoolId, query, paging);
	const youngPeople = rows.map((r): YoungPersonListItem => {
		const yearGroup = yearGroupIn(r.reception_year, academicYear) ?? null;
		const { id, first_name, last_name, gender, sen, free_school_meals } = r;
		return { id, first_name, last_name, year_group: yearGroup, gender, sen, free_school_meals, archived: r.archived_at !== null, left: yearGroup === null };
	});
	return { youngPeople, paging: pagingForPage(paging) };
}

/** One current young person, for editing; outside the actor's reach, archived or missing is a 404. */
export async function getYoungPerson(db: Db, actor: Actor, id: string, now: Date, action: 'see' | 'edit' = 'see') {
	const found = await requireYoungPerson(db, actor, id, { action });
	return { ...found, year_group: yearGroupIn(found.reception_year, academicYearOf(now)) };
}

/**
 * A young person's page: their details and, archived or not, their enrolments, attendance and
 * awards. A lead sees only the rows of programmes they lead.
 */
export async function getYoungPersonRecord(db: Db, actor: Actor, id: string, now: Date) {
	const found = await requireYoungPerson(db, actor, id, { archived: true });
	const leadId = actor.role === 'lead' ? actor.id : undefined;
	const enrolments = await queries.listEnrolmentsOfYoungPerson(db, found.id, leadId);
	const attendance = await queries.listMarksOfYoungPerson(db, found.id, leadId);
	const awards = await queries.listAwardsOfYoungPerson(db, found.id, leadId);
	return {
		person: { ...found, year_group: yearGroupIn(found.reception_year, academicYearOf(now)) ?? null },
		enrolments,
		attendance,
		awards: awards.map(({ level_label, ...award }) => ({ ...award, level_label: level_label ?? defaultLevelLabels[award.level] }))
	};
}

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

async function duplicateErrors(
	db: Db,
	schoolId: string,
	row: { first_name: string; last_name: string; reception_year: number },
	exceptId?: string
): Promise<FieldErrors> {
	const key = matchKey(row.first_name, row.last_name, row.reception_year);
	const others = await queries.listYoungPeopleForMatching(db, schoolId);
	const clash = others.some((o) => o.id !== exceptId && matchKey(o.first_name, o.last_name, o.reception_year) === key);
	return clash ? { first_name: 'A young person with this name is already in this year group at the school' } : {};
}

/**
 * Adds a young person to the school's list. Someone with the same names (by search key: any
 * case, accents or punctuation) archived at the school is offered back instead, as a
 * `archived_match` refusal on `different_person`, unless the user confirms this is a different
 * person: a second record would split their history.
 */
export async function addYoungPerson(
	db: Db,
	actor: Actor,
	schoolId: string,
	values: YoungPersonValues,
	now: Date,
	options: { differentPerson?: boolean } = {}
): Promise<Result<{ id: string }>> {
	await requireSchoolList(db, actor, schoolId, 'add');
	const { errors, input } = validateYoungPerson(values);
	if (hasErrors(errors)) return invalid(errors);
	const row = toRow(input, now);
	const result = await withTransaction(db, async (trx) => {
		await queries.lockSchool(trx, schoolId);
		const duplicates = await duplicateErrors(trx, schoolId, row);
		if (hasErrors(duplicates)) return invalid(duplicates);
		if (!options.differentPerson && (await queries.listArchivedNameMatches(trx, schoolId, row.first_name, row.last_name)).length > 0) {
			return refused(
				'archived_match',
				'A young person with this name is archived at this school. Restore their record, or confirm this is a different person',
				'different_person'
			);
		}
		const { id } = await queries.insertYoungPerson(trx, { school_id: schoolId, ...row });
		const detail = options.differentPerson ? { schoolId, differentFromArchived: true } : { schoolId };
		await insertAuditEvent(trx, { actorId: actor.id, action: 'young_person.created', ...person(id), detail, address: actor.address });
		return ok({ id });
	});
	if (result.ok) reportFiguresChanged({});
	return result;
}

/** The archived record the add form offers back for these names (see addYoungPerson), if there is one. */
export async function findArchivedMatch(db: Db, actor: Actor, schoolId: string, values: YoungPersonValues, now: Date) {
	await requireSchoolList(db, actor, schoolId);
	const { input } = validateYoungPerson(values);
	if (!input.firstName || !input.lastName) return undefined;
	const [match] = await queries.listArchivedNameMatches(db, schoolId, input.firstName, input.lastName);
	if (!match) return undefined;
	const { id, first_name, last_name, archived_at } = match;
	return { id, first_name, last_name, archived_at: archived_at!, year_group: yearGroupIn(match.reception_year, academicYearOf(now)) ?? null };
}

/**
 * Saves a young person's details from their edit form, opened on version `basedOn` (see
 * edit-versions.ts): if someone else has saved them since, nothing is saved.
 */
export async function updateYoungPerson(db: Db, actor: Actor, id: string, values: YoungPersonValues, now: Date, basedOn = ''): Promise<Result<{ id: string }>> {
	const current = await getYoungPerson(db, actor, id, now, 'edit');
	const { errors, input } = validateYoungPerson(values);
	if (hasErrors(errors)) return invalid(errors);
	const row = toRow(input, now);
	const result = await withTransaction(db, async (trx): Promise<Result<{ changed: boolean }>> => {
		await queries.lockSchool(trx, current.school_id);
		const saved = await queries.lockYoungPerson(trx, id);
		if (!saved || saved.archived_at) return { ok: false, code: 'not_found' };
		const changed = (Object.keys(row) as (keyof typeof row)[]).filter((k) => row[k] !== saved[k]);
		if (changed.length === 0) return ok({ changed: false });
		const stale = staleEdit({
			noun: 'This young person’s record',
			basedOn,
			mine: shownYoungPerson(row, now),
			saved: shownYoungPerson(saved, now),
			labels: youngPersonLabels,
			savedAt: saved.updated_at,
			now
		});
		if (stale) return stale;
		const duplicates = await duplicateErrors(trx, current.school_id, row, id);
		if (hasErrors(duplicates)) return invalid(duplicates);
		await queries.updateYoungPerson(trx, id, row);
		// Field names only: the audit log says that a name changed, never what it was or became.
		const fields = changed.map((k) => (k === 'reception_year' ? 'year_group' : k));
		await insertAuditEvent(trx, { actorId: actor.id, action: 'young_person.updated', ...person(id), detail: { fields }, address: actor.address });
		return ok({ changed: true });
	});
	if (!result.ok) return result;
	if (result.changed) reportFiguresChanged({});
	return ok({ id });
}

/** The version of a young person's details their edit form is opened on (see edit-versions.ts). */
export const youngPersonFormVersion = (person: ShownRow, now: Date): string => versionOf(shownYoungPerson(person, now));

type ShownRow = Pick<ReturnType<typeof toRow>, 'first_name' | 'last_name' | 'reception_year' | 'gender' | 'sen' | 'free_school_meals'>;

const youngPersonLabels = {
	first_name: 'First name',
	last_name: 'Last name',
	year_group: 'Year group',
	gender: 'Gender',
	sen: 'Special educational needs',
	free_school_meals: 'Free school meals'
};

/** A young person's details as their form shows them. */
function shownYoungPerson(row: ShownRow, now: Date): ShownValues {
	const yesNo = (value: boolean | null) => (value === null ? '' : value ? 'Yes' : 'No');
	const yearGroup = yearGroupIn(row.reception_year, academicYearOf(now));
	return {
		first_name: row.first_name,
		last_name: row.last_name,
		year_group: yearGroup ? yearGroupLabels[yearGroup] : '',
		gender: row.gender ? genderLabels[row.gender] : '',
		sen: yesNo(row.sen),
		free_school_meals: yesNo(row.free_school_meals)
	};
}

/** Takes a young person off the school's list and registers; their enrolments, attendance and awards stay. */
export async function archiveYoungPerson(db: Db, actor: Actor, id: string, now: Date): Promise<void> {
	await getYoungPerson(db, actor, id, now, 'edit');
	await withTransaction(db, async (trx) => {
		await queries.updateYoungPerson(trx, id, { archived_at: now });
		await insertAuditEvent(trx, { actorId: actor.id, action: 'young_person.archived', ...person(id), address: actor.address });
	});
	reportFiguresChanged({});
}

/**
 * Puts an archived young person back on the school's list, unless someone with the same names
 * and year group has been added since (they would be the same young person twice): a
 * `duplicate` conflict.
 */
export async function restoreYoungPerson(db: Db, actor: Actor, id: string): Promise<Result<{ id: string }>> {
	const found = await requireYoungPerson(db, actor, id, { archived: true, action: 'edit' });
	if (!found.archived_at) return ok({ id });
	if (found.anonymised_at) return refused('anonymised', 'This record has been anonymised: it cannot be restored', 'restore');
	const result = await withTransaction(db, async (trx) => {
		await queries.lockSchool(trx, found.school_id);
		if (hasErrors(await duplicateErrors(trx, found.school_id, found))) {
			return conflict('duplicate', 'A young person with this name is already in this year group at the school. Archive or change that record first');
		}
		await queries.updateYoungPerson(trx, id, { archived_at: null });
		await insertAuditEvent(trx, { actorId: actor.id, action: 'young_person.restored', ...person(id), address: actor.address });
		return ok({ id });
	});
	if (result.ok) reportFiguresChanged({});
	return result;
}
