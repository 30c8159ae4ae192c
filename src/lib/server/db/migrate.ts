import { Migrator, sql, type Kysely, type MigrationResultSet } from 'kysely';
import { migrations } from '../../../../migrations';

function migrator<DB>(db: Kysely<DB>): Migrator {
	return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

function unwrap(result: MigrationResultSet): string[] {
	if (result.error) throw result.error;
	return (result.results ?? []).map((r) => `${r.direction === 'Up' ? 'applied' : 'reverted'} ${r.migrationName}`);
}

export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<string[]> {
	return unwrap(await migrator(db).migrateToLatest());
}

export async function migrateDown<DB>(db: Kysely<DB>): Promise<string[]> {
	return unwrap(await migrator(db).migrateDown());
}

/**
 * The names of the migrations this build has that the database has not applied (all of them on
 * an empty database). Reads the migrator's own table, without the introspection that
 * `Migrator.getMigrations()` does, so a readiness check every few seconds stays cheap.
 */
export async function pendingMigrations<DB>(db: Kysely<DB>): Promise<string[]> {
	const table = await sql<{ exists: boolean }>`select to_regclass('kysely_migration') is not null as exists`.execute(db);
	const applied = table.rows[0]?.exists ? (await sql<{ name: string }>`select name from kysely_migration`.execute(db)).rows.map((r) => r.name) : [];
	const done = new Set(applied);
	return Object.keys(migrations).filter((name) => !done.has(name));
}
