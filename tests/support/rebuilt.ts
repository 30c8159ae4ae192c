import { sql } from 'kysely';
import type { Db } from '../../src/lib/server/db';
import { rebuildRollups } from '../../src/lib/server/reports/reports.queries';

/**
 * What `read` gives once the rollup is rebuilt as a whole, leaving the rollup as it was (in a
 * savepoint of the test's transaction): the reference the figures kept change by change must equal.
 */
export async function readRebuilt<T>(db: Db, read: (db: Db) => Promise<T>): Promise<T> {
	await sql`savepoint rebuilt`.execute(db);
	await rebuildRollups(db);
	const result = await read(db);
	await sql`rollback to savepoint rebuilt`.execute(db);
	return result;
}
