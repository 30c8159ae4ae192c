import { Kysely, PostgresDialect, sql } from 'kysely';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { readiness } from '../../../src/lib/server/health/health';
import type { DB } from '../../../src/lib/server/db/schema';
import { useTestDatabase } from '../../support/database';

describe('readiness', () => {
	const t = useTestDatabase();

	it('is ready when the database answers and has every migration', async () => {
		expect(await readiness(() => t.db)).toEqual({ ready: true, database: 'reachable', migrations: 'current' });
	});

	it('is not ready while a migration of this build has not been applied', async () => {
		await sql`delete from kysely_migration where name = (select max(name) from kysely_migration)`.execute(t.db);
		expect(await readiness(() => t.db)).toEqual({ ready: false, database: 'reachable', migrations: 'pending', pendingMigrations: 1 });
	});

	it('is not ready on a database never migrated', async () => {
		await sql`drop table kysely_migration`.execute(t.db);
		expect(await readiness(() => t.db)).toMatchObject({ ready: false, migrations: 'pending' });
	});

	it('is not ready when the database cannot be reached', async () => {
		// Nothing listens on port 1: the connection is refused at once.
		const pool = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/nothing' });
		const unreachable = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
		try {
			expect(await readiness(() => unreachable)).toEqual({ ready: false, database: 'unreachable', migrations: 'unknown' });
		} finally {
			await unreachable.destroy();
		}
	});

	it('is not ready when the database has not been opened yet', async () => {
		const notOpened = (): Kysely<DB> => {
			throw new Error('The database has not been opened: call startDatabase() first');
		};
		expect(await readiness(notOpened)).toMatchObject({ ready: false, database: 'unreachable' });
	});

	it('gives up on a database that does not answer, rather than keep the monitor waiting', async () => {
		// A server that takes the connection and never says a word, as a database behind a broken network does.
		const sockets = new Set<Socket>();
		const silent = createServer((socket) => sockets.add(socket));
		await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
		const { port } = silent.address() as AddressInfo;
		const pool = new pg.Pool({ connectionString: `postgres://nobody@127.0.0.1:${port}/nothing` });
		const mute = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
		try {
			expect(await readiness(() => mute, 200)).toEqual({ ready: false, database: 'unreachable', migrations: 'unknown' });
		} finally {
			for (const socket of sockets) socket.destroy();
			silent.close();
			await mute.destroy();
		}
	});
});
