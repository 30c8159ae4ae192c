import { sql, type Kysely } from 'kysely';

// A school offered part of what it asked for may choose to wait for all its places together:
// such a booking takes places from the waiting list only when all of them are free at once.

export async function up(db: Kysely<any>): Promise<void> {
	await sql`alter table booking add column whole_only boolean not null default false`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`alter table booking drop column whole_only`.execute(db);
}
