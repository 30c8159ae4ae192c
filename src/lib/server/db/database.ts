import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql, type PostgresPool } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { listenOn, type ListenHandlers, type Listening } from './listen';
import { lockDataDirectory, type DirectoryLock } from './lock';
import { prepareMarked } from './prepared';
import { DatabaseUnavailableError } from './unavailable';
import { log } from '../log';
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
	/**
	 * Listens for notifications on a connection of its own (db/listen.ts); undefined on the
	 * embedded database, whose one process needs none.
	 */
	readonly listen?: (channel: string, handlers: ListenHandlers) => Listening;
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

/**
 * PGlite's settings, given at each start (never written to the data directory's
 * postgresql.conf). PGlite runs PostgreSQL inside WebAssembly, whose memory grows and is never
 * given back, and it allows three things about memory: the WebAssembly memory's initial size
 * (`initialMemory`, no lower than its build's 128 MB), the settings PostgreSQL takes at start
 * (`startParams`: `-c name=value`) and closing the instance, which frees all of it. Its data
 * directory's own postgresql.conf asks for 128 MB of shared buffers, and PGlite touches all of
 * it as it starts: 115 MB of the process's memory before the first query, for a demo database
 * of 61 MB that the operating system's file cache holds anyway. 32 MB keeps the tables the
 * pages read most (sessions, registers, the rollup) in buffers, and the rest is a copy from
 * the file cache away. Index builds (migrations, the demo's seed) get 16 MB instead of 64 MB.
 * See the README's "Memory" for the figures.
 */
const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB', '-c', 'maintenance_work_mem=16MB'];
const pgliteOptions = { parsers: pgliteParsers, startParams: PGLITE_START_PARAMS };

/**
 * How long a request waits for a connection (a free one from the pool, or a new one) before it
 * is answered "briefly unavailable": without a limit, a database that stops answering (a network
 * fault rather than a refusal) would hold every request for minutes.
 */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Failing to get a connection at all is always the database being unavailable, whatever the
 * code. Each connection runs statements marked `PREPARED` as prepared ones (prepared.ts).
 */
function unavailableWhenConnectFails(pool: pg.Pool): PostgresPool {
	return {
		connect: () =>
			pool.connect().then(prepareMarked, (error: unknown) => {
				throw new DatabaseUnavailableError(error);
			}),
		end: () => pool.end()
	};
}

export function databaseConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
	if (env.DATABASE_URL) return { kind: 'postgres', url: env.DATABASE_URL };
	return { kind: 'pglite', dataDir: resolve(env.DATA_DIR || 'data') };
}

export async function openDatabase(config: DatabaseConfig): Promise<AppDatabase> {
	if (config.kind === 'postgres') {
		// JIT compiling pays off only for long analytical scans; for the reports' queries, whose
		// row estimates run high, it cost 400 ms to save nothing, so it is off for this app.
		const pool = new pg.Pool({
			connectionString: config.url,
			max: config.poolSize ?? 10,
			options: '-c jit=off',
			connectionTimeoutMillis: CONNECT_TIMEOUT_MS
		});
		// pg-pool listens for errors only on idle connections. When PostgreSQL ends the one a
		// request holds (a restart, a failover, `pg_terminate_backend`), the client's 'error'
		// event had no listener and ended the whole process. Every connection is listened to from
		// the start: the request holding it fails with its own query's error (answered with 503,
		// see unavailable.ts), and the pool drops the broken connection and opens a new one when
		// next asked, so the app serves again as soon as the database does.
		pool.on('connect', (client) => {
			let reported = false;
			client.on('error', (error: Error & { code?: string }) => {
				// A connection that goes reports twice (PostgreSQL's message, then the closed socket).
				if (reported) return;
				reported = true;
				log.warn({ sqlstate: error.code }, `A database connection was lost: ${error.message}`);
			});
		});
		// The pool repeats an idle connection's error, already reported by the listener above.
		pool.on('error', () => {});
		const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: unavailableWhenConnectFails(pool) }) });
		const url = config.url;
		return { kind: 'postgres', db, listen: (channel, handlers) => listenOn(url, channel, handlers), close: () => db.destroy() };
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
			pglite = await PGlite.create(resolve(config.dataDir, 'pglite'), { ...pgliteOptions, loadDataDir: config.restoreFrom });
		} catch (error) {
			lock.release();
			throw error;
		}
	} else {
		pglite = await PGlite.create({ ...pgliteOptions, loadDataDir: config.template });
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

/** VACUUM ANALYZE the whole database: outside any transaction, never on the one a request holds. */
export async function vacuumAnalyze(db: Kysely<DB>): Promise<void> {
	await sql`vacuum analyze`.execute(db);
}
