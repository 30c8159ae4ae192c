import { withTransaction, type Db } from '../db';
import { insertAuditEvent } from '../audit/audit.queries';
import { authoriseTerms, refuse } from '../auth/policy';
import type { Actor } from '../auth/session';
import { hasErrors, invalid, ok, type FieldErrors, type Result } from '../result';
import { holidayOn, type Holiday } from './holidays';
import { academicYearLabel, validateTerm, type TermInput, type TermValues } from './terms.schema';
import * as queries from './terms.queries';
import { formatDay } from '../../format';
import { staleEdit, versionOf, type ShownValues } from '../edit-versions';
import type { SchoolTermTable } from '../db/schema';

const target = (entityId?: string) => ({ entityType: 'school_term', entityId });

/** Every term, in order, for the admins who keep them. */
export async function listTermsFor(db: Db, actor: Actor) {
	await authoriseTerms(db, actor);
	return queries.listTerms(db);
}

/** The form for a new term: admins only. */
export async function openNewTerm(db: Db, actor: Actor): Promise<void> {
	await authoriseTerms(db, actor);
}

export async function getTerm(db: Db, actor: Actor, id: string) {
	await authoriseTerms(db, actor, id);
	return (await queries.findTerm(db, id)) ?? refuse(db, actor, target(id));
}

/** A message beside the field for each term this one would clash with: a shared day, or the same name in the year. */
async function clashes(db: Db, input: TermInput, exceptId?: string): Promise<FieldErrors> {
	const errors: FieldErrors = {};
	for (const other of await queries.listClashingTerms(db, input, exceptId)) {
		const of = `${other.name} of ${academicYearLabel(other.academic_year)}`;
		if (other.academic_year === input.academicYear && other.name.toLowerCase() === input.name.toLowerCase()) {
			errors.name ??= `${academicYearLabel(input.academicYear)} already has a term called ${other.name}`;
		}
		if (other.first_day <= input.lastDay && other.last_day >= input.firstDay) {
			errors.firstDay ??= `These dates overlap ${of} (${formatDay(other.first_day)} to ${formatDay(other.last_day)}): terms cannot share a day`;
		}
	}
	return errors;
}

const row = (input: TermInput) => ({
	academic_year: input.academicYear,
	name: input.name,
	first_day: input.firstDay,
	last_day: input.lastDay,
	source: input.source
});

/** Adds a term. */
export async function addTerm(db: Db, actor: Actor, values: TermValues): Promise<Result<{ id: string }>> {
	await authoriseTerms(db, actor);
	const { errors, input } = validateTerm(values);
	if (hasErrors(errors)) return invalid(errors);
	return withTransaction(db, async (trx) => {
		await queries.lockTerms(trx);
		const clash = await clashes(trx, input);
		if (hasErrors(clash)) return invalid(clash);
		const { id } = await queries.insertTerm(trx, row(input));
		await insertAuditEvent(trx, { actorId: actor.id, action: 'term.added', ...target(id), detail: row(input), address: actor.address });
		return ok({ id });
	});
}

/**
 * Changes a term's year, name, dates or source. `basedOn` is the version of the term the form
 * was opened on (termFormVersion; '' for none): see edit-versions.ts.
 */
export async function changeTerm(db: Db, actor: Actor, id: string, values: TermValues, basedOn = ''): Promise<Result> {
	await getTerm(db, actor, id);
	const { errors, input } = validateTerm(values);
	if (hasErrors(errors)) return invalid(errors);
	return withTransaction(db, async (trx) => {
		await queries.lockTerms(trx);
		// Read under the lock: what the form is checked against, and what the audit says it was.
		const before = await queries.findTerm(trx, id);
		if (!before) return { ok: false, code: 'not_found' };
		const stale = staleEdit({
			noun: 'This term',
			basedOn,
			mine: shownTerm(input),
			saved: shownTerm(inputOf(before)),
			labels: termLabels,
			savedAt: before.updated_at
		});
		if (stale) return stale;
		const clash = await clashes(trx, input, id);
		if (hasErrors(clash)) return invalid(clash);
		await queries.updateTerm(trx, id, row(input));
		const { id: _id, updated_at: _at, ...was } = before;
		await insertAuditEvent(trx, { actorId: actor.id, action: 'term.changed', ...target(id), detail: { was, now: row(input) }, address: actor.address });
		return ok();
	});
}

/**
 * The school holidays among these dates ('YYYY-MM-DD'), by date. For scheduling, which any
 * actor who may schedule sessions asks through the sessions service.
 */
export async function holidaysAmong(db: Db, dates: readonly string[]): Promise<Map<string, Holiday>> {
	const found = new Map<string, Holiday>();
	if (dates.length === 0) return found;
	const terms = await queries.listTerms(db);
	for (const date of dates) {
		const holiday = holidayOn(terms, date);
		if (holiday) found.set(date, holiday);
	}
	return found;
}

type StoredTerm = Pick<SchoolTermTable, 'academic_year' | 'name' | 'first_day' | 'last_day' | 'source'>;

const inputOf = (term: StoredTerm): TermInput => ({
	academicYear: term.academic_year,
	name: term.name,
	firstDay: term.first_day,
	lastDay: term.last_day,
	source: term.source
});

/** A term as its edit form shows it, with its days as people write them for the messages beside them. */
const shownTerm = (term: TermInput): ShownValues => ({
	academicYear: String(term.academicYear),
	name: term.name,
	firstDay: formatDay(term.firstDay),
	lastDay: formatDay(term.lastDay),
	source: term.source
});

/** The version of a term its edit form carries. */
export const termFormVersion = (term: StoredTerm): string => versionOf(shownTerm(inputOf(term)));

const termLabels = { academicYear: 'Academic year', name: 'Term', firstDay: 'First day', lastDay: 'Last day', source: 'Where the dates come from' };
