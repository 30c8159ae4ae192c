import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../../src/lib/server/db/unavailable';
import { copyPostgresTemplate } from '../../support/database';
import { adminUrl } from '../../support/postgres';

// PostgreSQL ends an app's connections when it restarts, fails over or is told to
// (pg_terminate_backend). The connection a query is using then fails, and that must fail the
// query, not the process: an unheard 'error' event on a checked-out pg client would end this
// test worker, which Vitest reports as an unhandled error.

describe.skipIf(process.env.TEST_DB !== 'postgres')('losing database connections (PostgreSQL)', () => {
	let database: Awaited<ReturnType<typeof copyPostgresTemplate>>;
	let admin: pg.Client;
	const databaseName = () => new URL(database.url).pathname.slice(1);

	beforeAll(async () => {
		database = await copyPostgresTemplate(4);
		admin = new pg.Client({ connectionString: adminUrl() });
		await admin.connect();
	});
	afterAll(async () => {
		await admin?.end();
		await database?.close();
	});

	async function terminateAll(): Promise<number> {
		const result = await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [databaseName()]);
		return result.rowCount ?? 0;
	}

	async function untilRunning(query: string, count = 1): Promise<void> {
		for (;;) {
			const active = await admin.query("select 1 from pg_stat_activity where datname = $1 and state = 'active' and query like $2", [
				databaseName(),
				`%${query}%`
			]);
			if ((active.rowCount ?? 0) >= count) return;
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
	}

	/**
	 * A query, tried until it is answered. An idle connection ended at the same moment may not
	 * have been noticed yet, and fails the one query that takes it (as "unavailable"); the pool
	 * then drops it, so with at most 4 connections the fifth try is on a new connection.
	 */
	async function answers(): Promise<number> {
		for (let attempt = 1; ; attempt++) {
			try {
				const { rows } = await sql<{ answer: number }>`select 42 as answer`.execute(database.db);
				return rows[0]!.answer;
			} catch (error) {
				if (attempt === 5 || !isDatabaseUnavailable(error)) throw error;
			}
		}
	}

	it('fails the queries in flight as "database unavailable", then serves the next ones on new connections', async () => {
		for (let round = 1; round <= 3; round++) {
			// Two queries hold connections while a third connection waits idle in the pool.
			await sql`select 1`.execute(database.db);
			const inFlight = [sql`select pg_sleep(30), 'in flight'`.execute(database.db), sql`select pg_sleep(30), 'in flight'`.execute(database.db)];
			const outcomes = Promise.allSettled(inFlight);
			await untilRunning("'in flight'", 2);

			expect(await terminateAll()).toBeGreaterThanOrEqual(2);
			const settled = await outcomes;
			for (const outcome of settled) {
				expect(outcome.status).toBe('rejected');
				expect(isDatabaseUnavailable((outcome as PromiseRejectedResult).reason)).toBe(true);
			}
			expect(await answers()).toBe(42);
		}
	});

	it('fails a transaction whose connection is ended as "database unavailable"', async () => {
		const work = database.db.transaction().execute(async (trx) => {
			await sql`select pg_sleep(30), 'in a transaction'`.execute(trx);
		});
		const outcome = work.then(
			() => undefined,
			(error: unknown) => error
		);
		await untilRunning("'in a transaction'");
		await terminateAll();
		expect(isDatabaseUnavailable(await outcome)).toBe(true);
		expect(await answers()).toBe(42);
	});
});
