import { sql, type Kysely } from 'kysely';

// A cancelled booking remembers the places it held, so a cancellation made by mistake can be
// undone for a few minutes while those places are still free.

export async function up(db: Kysely<any>): Promise<void> {
	await sql`alter table booking add column cancelled_confirmed_places integer check (cancelled_confirmed_places >= 0)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`alter table booking drop column cancelled_confirmed_places`.execute(db);
}
