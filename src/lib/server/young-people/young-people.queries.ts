import { sql, type Insertable, type Transaction, type Updateable } from 'kysely';
import type { Db } from '../db';
import type { DB, YoungPersonTable } from '../db/schema';

const columns = ['id', 'school_id', 'first_name', 'last_name', 'reception_year', 'gender', 'sen', 'free_school_meals', 'archived_at'] as const;

/** 8 columns a row: 1,000 rows stay far below PostgreSQL's 65,535 parameters a statement. */
const INSERT_CHUNK = 1000;

export async function findYoungPerson(db: Db, id: string) {
	return db.selectFrom('young_person').select(columns).where('id', '=', id).executeTakeFirst();
}

/** The school's current list (archived young people left out), by last then first name. */
export async function listYoungPeopleOfSchool(db: Db, schoolId: string, filter: { search?: string; minReceptionYear?: number } = {}) {
	let query = db.selectFrom('young_person').select(columns).where('school_id', '=', schoolId).where('archived_at', 'is', null);
	if (filter.minReceptionYear !== undefined) query = query.where('reception_year', '>=', filter.minReceptionYear);
	if (filter.search) {
		const pattern = `%${filter.search.replace(/[\\%_]/g, '\\$&')}%`;
		query = query.where(sql<boolean>`(first_name || ' ' || last_name) ilike ${pattern}`);
	}
	return query.orderBy(sql`lower(last_name)`).orderBy(sql`lower(first_name)`).orderBy('id').execute();
}

/** Names and Reception years of a school's current young people, to match against. */
export async function listYoungPeopleForMatching(db: Db, schoolId: string) {
	return db
		.selectFrom('young_person')
		.select(['id', 'first_name', 'last_name', 'reception_year'])
		.where('school_id', '=', schoolId)
		.where('archived_at', 'is', null)
		.execute();
}

/** Holds the school's row until commit, so two changes to one school's list take turns. */
export async function lockSchool(trx: Transaction<DB>, schoolId: string) {
	return trx.selectFrom('school').select('id').where('id', '=', schoolId).forUpdate().executeTakeFirst();
}

export async function insertYoungPerson(db: Db, row: Insertable<YoungPersonTable>) {
	return db.insertInto('young_person').values(row).returning('id').executeTakeFirstOrThrow();
}

/** Many young people in as few statements as the parameter limit allows; returns how many. */
export async function insertYoungPeople(db: Db, rows: Insertable<YoungPersonTable>[]): Promise<number> {
	for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
		await db.insertInto('young_person').values(rows.slice(i, i + INSERT_CHUNK)).execute();
	}
	return rows.length;
}

export async function updateYoungPerson(db: Db, id: string, changes: Updateable<YoungPersonTable>) {
	await db
		.updateTable('young_person')
		.set({ ...changes, updated_at: new Date() })
		.where('id', '=', id)
		.execute();
}
