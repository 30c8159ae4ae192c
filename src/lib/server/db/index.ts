import type { Kysely } from 'kysely';
import { databaseConfigFromEnv, openDatabase, type AppDatabase } from './database';
import type { DB } from './schema';

export type { Db } from './transaction';
export { withTransaction } from './transaction';

let current: AppDatabase | undefined;

/** Opens the application's database once per process (called from the server's init hook). */
export async function startDatabase(): Promise<AppDatabase> {
	current ??= await openDatabase(databaseConfigFromEnv());
	return current;
}

/** The database this process has open, or undefined before it opens and once it stops. */
export function currentDatabase(): AppDatabase | undefined {
	return current;
}

export function getDb(): Kysely<DB> {
	if (!current) throw new Error('The database has not been opened: call startDatabase() first');
	return current.db;
}

export async function stopDatabase(): Promise<void> {
	const closing = current;
	current = undefined;
	await closing?.close();
}
