import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, inject } from 'vitest';
import pg from 'pg';
import type { ControlledTransaction, Kysely } from 'kysely';
import { openDatabase, type AppDatabase } from '../../src/lib/server/db/database';
import type { DB } from '../../src/lib/server/db/schema';
import { adminUrl, databaseUrl } from './postgres';

export const databaseKind = process.env.TEST_DB === 'postgres' ? 'postgres' : 'pglite';

/** A database of this file's own, copied from the migrated template. */
export async function openTestDatabase(): Promise<AppDatabase> {
	if (databaseKind === 'pglite') {
		const template = new Blob([readFileSync(inject('pgliteTemplate'))]);
		return openDatabase({ kind: 'pglite-template', template });
	}
	return copyPostgresTemplate();
}

/**
 * A PostgreSQL database copied from the run's migrated template, with its address, so other
 * processes can open it too. Closing it drops it.
 */
export async function copyPostgresTemplate(poolSize = 25): Promise<AppDatabase & { url: string }> {
	const name = `ypt_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
	const admin = new pg.Client({ connectionString: adminUrl() });
	await admin.connect();
	try {
		await admin.query(`create database ${name} template ${inject('postgresTemplate')}`);
	} finally {
		await admin.end();
	}
	const url = databaseUrl(name);
	const opened = await openDatabase({ kind: 'postgres', url, poolSize });
	return {
		...opened,
		url,
		async close() {
			await opened.close();
			const cleanup = new pg.Client({ connectionString: adminUrl() });
			await cleanup.connect();
			try {
				await cleanup.query(`drop database if exists ${name} with (force)`);
			} finally {
				await cleanup.end();
			}
		}
	};
}

/**
 * Gives each test a transaction that is rolled back afterwards, on a database copied for this
 * file. Services open savepoints inside it (see withTransaction), so they run unchanged.
 */
export function useTestDatabase(): { readonly db: Kysely<DB>; readonly root: Kysely<DB> } {
	let database: AppDatabase | undefined;
	let trx: ControlledTransaction<DB> | undefined;
	beforeAll(async () => {
		database = await openTestDatabase();
	});
	afterAll(async () => {
		await database?.close();
	});
	beforeEach(async () => {
		trx = await database!.db.startTransaction().execute();
	});
	afterEach(async () => {
		await trx?.rollback().execute();
		trx = undefined;
	});
	return {
		get db() {
			if (!trx) throw new Error('useTestDatabase: no test is running');
			return trx;
		},
		/** The database outside the test's transaction: only for tests that commit on purpose. */
		get root() {
			return database!.db;
		}
	};
}
