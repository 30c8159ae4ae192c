import { sql } from 'kysely';
import type { Db } from '../db';
import type { NewSchool, SchoolPhase, SchoolTown, SchoolUpdate } from '../db/schema';

const columns = ['id', 'name', 'urn', 'phase', 'town', 'active', 'created_at', 'updated_at'] as const;

export async function findSchool(db: Db, id: string) {
	return db.selectFrom('school').select(columns).where('id', '=', id).executeTakeFirst();
}

/** A school as saved now, its row locked until the transaction ends: its edits then queue behind each other. */
export async function lockSchool(db: Db, id: string) {
	return db.selectFrom('school').select(columns).where('id', '=', id).forUpdate().executeTakeFirst();
}

export interface SchoolFilter {
	search?: string;
	phase?: SchoolPhase;
	town?: SchoolTown;
	includeInactive?: boolean;
	/** Only schools with no active school contact: no one there can book or see their bookings. */
	withoutContact?: boolean;
}

function schoolsMatching(db: Db, filter: SchoolFilter) {
	let query = db.selectFrom('school');
	if (filter.search) {
		const search = filter.search;
		query = query.where((eb) => eb.or([sql<boolean>`search_key like '%' || search_key(${search}) || '%'`, eb('urn', '=', search)]));
	}
	if (filter.phase) query = query.where('phase', '=', filter.phase);
	if (filter.town) query = query.where('town', '=', filter.town);
	if (!filter.includeInactive) query = query.where('active', '=', true);
	if (filter.withoutContact) {
		query = query.where(sql<boolean>`not exists (select 1 from app_user u where u.school_id = school.id and u.role = 'school' and u.status = 'active')`);
	}
	return query;
}

/** The schools matching the filter by name; a page of them when given one. */
export async function listSchools(db: Db, filter: SchoolFilter = {}, page?: { limit: number; offset: number }) {
	const query = schoolsMatching(db, filter).select(columns).orderBy('name').orderBy('id');
	return (page ? query.limit(page.limit).offset(page.offset) : query).execute();
}

export async function countSchools(db: Db, filter: SchoolFilter = {}): Promise<number> {
	const row = await schoolsMatching(db, filter)
		.select((eb) => eb.fn.countAll<string | number>().as('n'))
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/** Schools matching any of these names (case-insensitive) or URNs, for imports and duplicate checks. */
export async function listSchoolsByNameOrUrn(db: Db, names: string[], urns: string[]) {
	if (names.length === 0 && urns.length === 0) return [];
	return db
		.selectFrom('school')
		.select(columns)
		.where((eb) =>
			eb.or([
				...(names.length
					? [
							eb(
								eb.fn('lower', ['name']),
								'in',
								names.map((n) => n.toLowerCase())
							)
						]
					: []),
				...(urns.length ? [eb('urn', 'in', urns)] : [])
			])
		)
		.execute();
}

export async function insertSchool(db: Db, school: NewSchool) {
	return db.insertInto('school').values(school).returning('id').executeTakeFirstOrThrow();
}

export async function insertSchools(db: Db, schools: NewSchool[]) {
	if (schools.length === 0) return [];
	return db.insertInto('school').values(schools).returning('id').execute();
}

export async function updateSchool(db: Db, id: string, changes: SchoolUpdate) {
	await db
		.updateTable('school')
		.set({ ...changes, updated_at: new Date() })
		.where('id', '=', id)
		.execute();
}

export async function countSchoolsByPhase(db: Db) {
	return db
		.selectFrom('school')
		.select(['phase', (eb) => eb.fn.countAll<number>().as('count')])
		.where('active', '=', true)
		.groupBy('phase')
		.orderBy('phase')
		.execute();
}

export async function countSchoolsByTownAndPhase(db: Db) {
	return db
		.selectFrom('school')
		.select(['town', 'phase', (eb) => eb.fn.countAll<number>().as('count')])
		.where('active', '=', true)
		.groupBy(['town', 'phase'])
		.execute();
}
