import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { lockDataDirectory, type DirectoryLock } from './lock';
import type { DB } from './schema';

export type DatabaseConfig =
	| { kind: 'postgres'; url: string; poolSize?: number }
	// restoreFrom: a backup (a dumpDataDir archive) to unpack into an empty directory as it opens.
	| { kind: 'pglite'; dataDir: string; restoreFrom?: Blob }
	| { kind: 'pglite-template'; template: Blob };

export interface AppDatabase {
	readonly kind: 'postgres' | 'pglite';
	readonly db: Kysely<DB>;
	/** Where the embedded database lives, for messages; undefined on PostgreSQL. */
	readonly location?: string;
	/** True when opening it created a new embedded data directory. */
	readonly created?: boolean;
	/**
	 * The embedded data directory as a gzipped tar (PGlite's dumpDataDir); undefined on
	 * PostgreSQL. Take it through db/backup-embedded.ts, which holds the connection meanwhile.
	 */
	readonly dumpDataDir?: () => Promise<Blob>;
	close(): Promise<void>;
}

const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;

// Counts come back as numbers, and a date stays a 'YYYY-MM-DD' string rather than a Date at
// local midnight, which would shift it a day in some time zones.
pg.types.setTypeParser(INT8, Number);
pg.types.setTypeParser(NUMERIC, Number);
pg.types.setTypeParser(DATE, (value) => value);
const pgliteParsers = { [INT8]: Number, [NUMERIC]: Number, [DATE]: (value: string) => value };

export function databaseConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
	if (env.DATABASE_URL) return { kind: 'postgres', url: env.DATABASE_URL };
	return { kind: 'pglite', dataDir: resolve(env.DATA_DIR || 'data') };
}

export async function openDatabase(config: DatabaseConfig): Promise<AppDatabase> {
	if (config.kind === 'postgres') {
		// JIT compiling pays off only for long analytical scans; for the reports' queries, whose
		// row estimates run high, it cost 400 ms to save nothing, so it is off for this app.
		const pool = new pg.Pool({ connectionString: config.url, max: config.poolSize ?? 10, options: '-c jit=off' });
		// An idle connection the server closes (a restart, an administrator) is an error event on
		// the pool; unhandled it would end the process. The pool opens a new one when next needed.
		pool.on('error', (error) => console.error(`A database connection was closed: ${error.message}`));
		const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
		return { kind: 'postgres', db, close: () => db.destroy() };
	}
	let lock: DirectoryLock | undefined;
	let pglite: PGlite;
	let location: string | undefined;
	let created = false;
	if (config.kind === 'pglite') {
		lock = lockDataDirectory(config.dataDir);
		location = config.dataDir;
		created = !existsSync(resolve(config.dataDir, 'pglite', 'PG_VERSION'));
		try {
			pglite = await PGlite.create(resolve(config.dataDir, 'pglite'), { parsers: pgliteParsers, loadDataDir: config.restoreFrom });
		} catch (error) {
			lock.release();
			throw error;
		}
	} else {
		pglite = await PGlite.create({ loadDataDir: config.template, parsers: pgliteParsers });
	}
	const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
	return {
		kind: 'pglite',
		db,
		location,
		created,
		dumpDataDir: () => pglite.dumpDataDir('gzip'),
		async close() {
			// Destroying the Kysely driver closes PGlite, which flushes the data directory.
			await db.destroy();
			if (!pglite.closed) await pglite.close();
			lock?.release();
		}
	};
}
