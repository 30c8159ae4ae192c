import type { Insertable, Kysely } from 'kysely';
import type { DB, YoungPersonTable } from '../../src/lib/server/db/schema';
import { makeActor, makeSchool } from './factories';

/** A school with a contact of its own, and a contact of another school. */
export async function makeSchoolWorld(db: Kysely<DB>) {
	const school = await makeSchool(db);
	const contact = await makeActor(db, { role: 'school', schoolId: school.id });
	const otherContact = await makeActor(db, { role: 'school' });
	return { school, contact, otherContact };
}

/** A young person on a new school's list, in Year 8 in 2026-27 unless told otherwise. */
export async function makeYoungPerson(db: Kysely<DB>, overrides: Partial<Insertable<YoungPersonTable>> = {}) {
	const schoolId = overrides.school_id ?? (await makeSchool(db)).id;
	return db
		.insertInto('young_person')
		.values({ school_id: schoolId, first_name: 'Amira', last_name: 'Okafor', reception_year: 2018, ...overrides })
		.returningAll()
		.executeTakeFirstOrThrow();
}

/** A school year's date in UK time: term time in 2026-27 unless told otherwise. */
export const IN_2026_27 = new Date('2026-11-27T12:00:00Z');

/** Every audit row as text, to check that no young person's name appears in any of them. */
export async function auditText(db: Kysely<DB>): Promise<string> {
	const rows = await db.selectFrom('audit_event').selectAll().execute();
	return JSON.stringify(rows);
}
