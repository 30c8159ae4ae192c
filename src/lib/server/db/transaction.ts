import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from './schema';

export type Db = Kysely<DB> | Transaction<DB>;

let savepoints = 0;

/**
 * Runs `work` in a transaction. Called with a transaction already open (a service inside
 * another service, or a test's rolled-back transaction), it uses a savepoint instead, so a
 * failure undoes only its own writes. Always pass the transaction down: on PGlite's single
 * connection, reaching for the outer database inside `work` would wait forever.
 */
export async function withTransaction<T>(db: Db, work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
	if (!db.isTransaction) return db.transaction().execute(work);
	const trx = db as Transaction<DB>;
	const name = sql.id(`sp_${++savepoints}`);
	await sql`savepoint ${name}`.execute(trx);
	try {
		const result = await work(trx);
		await sql`release savepoint ${name}`.execute(trx);
		return result;
	} catch (error) {
		await sql`rollback to savepoint ${name}`.execute(trx);
		throw error;
	}
}
