import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PREPARED } from '../../../src/lib/server/db/prepared';
import { copyPostgresTemplate, useTestDatabase } from '../../support/database';
import { adminUrl } from '../../support/postgres';

// Statements marked PREPARED run as named statements on PostgreSQL, parsed once per connection
// (src/lib/server/db/prepared.ts); everything else runs as before, and the embedded database
// runs the marked ones as ordinary statements.

const t = useTestDatabase();

describe('statements marked PREPARED', () => {
	it('answer as the same statement unmarked does, with each value', async () => {
		for (const n of [1, 2, 40]) {
			const marked = await sql<{ n: number; s: string }>`${PREPARED} select ${n}::int * 2 as n, ${`x${n}`}::text as s`.execute(t.db);
			const plain = await sql<{ n: number; s: string }>`select ${n}::int * 2 as n, ${`x${n}`}::text as s`.execute(t.db);
			expect(marked.rows).toEqual(plain.rows);
			expect(marked.rows).toEqual([{ n: n * 2, s: `x${n}` }]);
		}
	});
});

describe.skipIf(process.env.TEST_DB !== 'postgres')('prepared statements on PostgreSQL', () => {
	let database: Awaited<ReturnType<typeof copyPostgresTemplate>>;
	let admin: pg.Client;

	beforeAll(async () => {
		database = await copyPostgresTemplate(1);
		admin = new pg.Client({ connectionString: adminUrl() });
		await admin.connect();
	});
	afterAll(async () => {
		await admin?.end();
		await database?.close();
	});

	const prepared = async () =>
		(await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements order by name`.execute(database.db)).rows;

	it('are prepared once on the connection, by a name made from their text; unmarked ones are not', async () => {
		// One connection in the pool: every statement below runs on it.
		const marked = (n: number) => sql<{ n: number }>`${PREPARED} select ${n}::int + 1 as n`.execute(database.db);
		for (const n of [1, 2, 3]) expect((await marked(n)).rows).toEqual([{ n: n + 1 }]);
		await sql`select ${5}::int + 1 as n`.execute(database.db);
		const held = await prepared();
		expect(held).toHaveLength(1);
		expect(held[0]!.name).toMatch(/^ypt_[0-9a-f]{20}$/);
		expect(held[0]!.statement).toContain('/* prepared */ select $1::int + 1 as n');
	});

	it('are prepared again on a new connection after PostgreSQL ended the old one', async () => {
		const name = new URL(database.url).pathname.slice(1);
		await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);
		// A query may find the connection gone (the pool then drops it); tried again, it runs on a new one.
		const marked = () => sql<{ n: number }>`${PREPARED} select ${7}::int + 1 as n`.execute(database.db);
		let rows: { n: number }[] | undefined;
		for (let attempt = 0; attempt < 5 && !rows; attempt++) rows = (await marked().catch(() => undefined))?.rows;
		expect(rows).toEqual([{ n: 8 }]);
		expect((await prepared()).map((p) => p.statement)).toEqual([expect.stringContaining('select $1::int + 1 as n')]);
	});
});
