import type { Insertable, Updateable } from 'kysely';
import type { Db } from '../db';
import type { SchoolTermTable } from '../db/schema';

const columns = ['id', 'academic_year', 'name', 'first_day', 'last_day', 'source', 'updated_at'] as const;

/** Every term, in order of its first day. */
export async function listTerms(db: Db) {
	return db.selectFrom('school_term').select(columns).orderBy('first_day').execute();
}

export async function findTerm(db: Db, id: string) {
	return db.selectFrom('school_term').select(columns).where('id', '=', id).executeTakeFirst();
}

/** Terms (other than `exceptId`) sharing a day with first..last, or of the same name in that academic year. */
export async function listClashingTerms(db: Db, term: { academicYear: number; name: string; firstDay: string; lastDay: string }, exceptId?: string) {
	let query = db
		.selectFrom('school_term')
		.select(columns)
		.where((eb) =>
			eb.or([
				eb.and([eb('first_day', '<=', term.lastDay), eb('last_day', '>=', term.firstDay)]),
				eb.and([eb('academic_year', '=', term.academicYear), eb(eb.fn('lower', ['name']), '=', term.name.toLowerCase())])
			])
		);
	if (exceptId) query = query.where('id', '<>', exceptId);
	return query.orderBy('first_day').execute();
}

export async function insertTerm(db: Db, term: Insertable<SchoolTermTable>) {
	return db.insertInto('school_term').values(term).returning('id').executeTakeFirstOrThrow();
}

export async function updateTerm(db: Db, id: string, changes: Updateable<SchoolTermTable>) {
	await db
		.updateTable('school_term')
		.set({ ...changes, updated_at: new Date() })
		.where('id', '=', id)
		.execute();
}

/** Holds every term still until the transaction ends, so two admins' changes cannot overlap each other. */
export async function lockTerms(db: Db) {
	await db.selectFrom('school_term').select('id').forUpdate().execute();
}
