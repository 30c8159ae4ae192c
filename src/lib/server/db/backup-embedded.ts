// The embedded database's backups. One process at a time may open PGlite's data directory, and
// while the app runs that is the server, so the server takes the copy itself:
// `npm run db:backup` leaves a request in DATA_DIR/backups and sends the server SIGUSR2, and the
// server writes the backup there. Only the server's own user (or root) may signal it, so the
// action is admin-only and local by the operating system's rules, with nothing exposed over
// HTTP and no secret to keep. With no server running, the command opens the directory itself.
// Either way the copy is taken holding the database's one connection after a checkpoint: no
// transaction is half-way through it, and none starts until it is taken.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { sql } from 'kysely';
import { openDatabase, type AppDatabase } from './database';
import { backupsDirectory, countRows, countsFile, readCounts, writeCounts, writePrivately, type TableCounts } from './backup-files';
import { refused, type Result } from '../result';

const REQUEST = '.request';
const FAILED = '.failed';
/** Written by a server that answers backup requests, holding its pid. */
const SERVER_MARKER = 'server.pid';
/** How long a server has to pick a request up (the copy itself may then take minutes). */
const PICK_UP_MS = 30_000;

let answering = false;

/** The data directory as a gzipped tar, with the row counts it holds. */
export async function snapshotEmbedded(database: AppDatabase): Promise<{ archive: Blob; counts: TableCounts }> {
	const dump = database.dumpDataDir;
	if (!dump) throw new Error('Only the embedded database is copied as a data directory');
	// The one connection, held: a transaction in progress finishes first, the next one waits.
	return database.db.connection().execute(async (db) => {
		// Writes every changed page to the files, so the copy needs no recovery when it opens.
		await sql`checkpoint`.execute(db);
		const counts = await countRows(db);
		return { archive: await dump(), counts };
	});
}

/** Writes the backup, then its counts beside it (whose appearance says the backup is whole). */
export async function writeEmbeddedBackup(database: AppDatabase, file: string): Promise<TableCounts> {
	const { archive, counts } = await snapshotEmbedded(database);
	writePrivately(file, new Uint8Array(await archive.arrayBuffer()));
	writeCounts(file, { database: 'pglite', takenAt: new Date().toISOString(), counts });
	return counts;
}

/**
 * Makes this process (the server) answer SIGUSR2 with a backup of its embedded database: one for
 * each request file in DATA_DIR/backups, or, signalled by hand (`kill -USR2 <pid>`), one under a
 * dated name. `current` gives the database open at the time, if any.
 */
export function answerBackupRequests(dataDir: string, current: () => AppDatabase | undefined): void {
	if (answering) return; // started again in one process (the dev server's reloads)
	answering = true;
	const dir = backupsDirectory(dataDir);
	mkdirSync(dir, { recursive: true, mode: 0o700 });
	const marker = join(dir, SERVER_MARKER);
	writeFileSync(marker, String(process.pid));
	process.on('exit', () => rmSync(marker, { force: true }));
	let queue = Promise.resolve();
	process.on('SIGUSR2', () => {
		queue = queue.then(() => answerRequests(dir, current));
	});
}

async function answerRequests(dir: string, current: () => AppDatabase | undefined): Promise<void> {
	const requested = readdirSync(dir).flatMap((name) => (name.endsWith(REQUEST) ? [name.slice(0, -REQUEST.length)] : []));
	const names = requested.length > 0 ? requested : [`ypt-embedded-${new Date().toISOString().slice(0, 19).replace(/:/g, '-')}.tgz`];
	for (const name of names) {
		rmSync(join(dir, name + REQUEST), { force: true });
		const file = join(dir, name);
		try {
			const database = current();
			if (!database) throw new Error('the server is stopping');
			const counts = await writeEmbeddedBackup(database, file);
			console.log(`Backup written to ${file} (${Object.keys(counts).length} tables)`);
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			console.error(`Backup to ${file} failed: ${message}`);
			writePrivately(join(dir, name + FAILED), message);
		}
	}
}

/** Backs the embedded database in `dataDir` up to `file`, through the server if one runs there. */
export async function backupEmbedded(dataDir: string, file: string): Promise<Result<{ counts: TableCounts; via: 'server' | 'directory' }>> {
	if (!existsSync(join(dataDir, 'pglite', 'PG_VERSION'))) {
		return refused('no_database', `There is no embedded database in ${dataDir}: set DATA_DIR to the directory the server uses.`);
	}
	const server = backupServer(dataDir);
	if (server !== undefined) return requestFromServer(dataDir, server, file);
	let database: AppDatabase;
	try {
		database = await openDatabase({ kind: 'pglite', dataDir });
	} catch (error) {
		if (isInUse(error)) {
			return refused(
				'in_use',
				`The data directory ${dataDir} is in use by a process that does not take backup requests (only the app server does): let it finish, then run the backup again.`
			);
		}
		throw error;
	}
	try {
		return { ok: true, counts: await writeEmbeddedBackup(database, file), via: 'directory' };
	} finally {
		await database.close();
	}
}

/** Unpacks a backup into `dataDir`, which must hold no database yet, and counts what it holds. */
export async function restoreEmbedded(dataDir: string, file: string): Promise<Result<{ counts: TableCounts }>> {
	const pgdata = join(dataDir, 'pglite');
	if (existsSync(pgdata) && readdirSync(pgdata).length > 0) {
		return refused(
			'not_empty',
			`${dataDir} already holds an embedded database, and a restore never overwrites one. Restore into an empty directory (set DATA_DIR to a new one, then start the server with it), or move the old one aside first.`
		);
	}
	let database: AppDatabase;
	try {
		database = await openDatabase({ kind: 'pglite', dataDir, restoreFrom: new Blob([readFileSync(file)]) });
	} catch (error) {
		if (isInUse(error)) return refused('in_use', `The data directory ${dataDir} is in use by another process: stop it first.`);
		// Half a database would make the next attempt refuse the directory as not empty.
		rmSync(pgdata, { recursive: true, force: true });
		throw error;
	}
	try {
		return { ok: true, counts: await countRows(database.db) };
	} finally {
		// Closing writes the unpacked database to the directory.
		await database.close();
	}
}

async function requestFromServer(dataDir: string, pid: number, file: string): Promise<Result<{ counts: TableCounts; via: 'server' }>> {
	const dir = backupsDirectory(dataDir);
	// The server writes into its own backups directory; a backup asked for elsewhere is moved.
	const inPlace = dirname(resolve(file)) === dir;
	const name = inPlace ? basename(file) : `requested-${process.pid}-${Date.now()}.tgz`;
	const written = join(dir, name);
	const request = join(dir, name + REQUEST);
	const failed = join(dir, name + FAILED);
	writePrivately(request, '');
	try {
		process.kill(pid, 'SIGUSR2');
	} catch (error) {
		rmSync(request, { force: true });
		if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
		return refused('not_permitted', `The server (pid ${pid}) runs as another user: run the backup as that user (for example with sudo -u).`);
	}
	const asked = Date.now();
	while (!existsSync(countsFile(written))) {
		await new Promise((r) => setTimeout(r, 200));
		if (existsSync(failed)) {
			const message = readFileSync(failed, 'utf8');
			rmSync(failed, { force: true });
			return refused('server_failed', `The server could not take the backup: ${message}`);
		}
		if (!isRunning(pid)) return refused('server_stopped', `The server (pid ${pid}) stopped before the backup was written.`);
		if (existsSync(request) && Date.now() - asked > PICK_UP_MS) {
			rmSync(request, { force: true });
			return refused('no_answer', `The server (pid ${pid}) did not answer the backup request within ${PICK_UP_MS / 1000} seconds.`);
		}
	}
	if (!inPlace) {
		move(written, file);
		move(countsFile(written), countsFile(file));
	}
	return { ok: true, counts: readCounts(file)!.counts, via: 'server' };
}

/** The pid of a running server that answers backup requests for this directory, if any. */
function backupServer(dataDir: string): number | undefined {
	const owner = readPid(join(dataDir, 'app.lock'));
	const marked = readPid(join(backupsDirectory(dataDir), SERVER_MARKER));
	return owner !== undefined && owner === marked && isRunning(owner) ? owner : undefined;
}

function readPid(file: string): number | undefined {
	try {
		const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
		return Number.isInteger(pid) && pid > 0 ? pid : undefined;
	} catch {
		return undefined;
	}
}

function isRunning(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

function isInUse(error: unknown): boolean {
	return (error as { code?: string } | undefined)?.code === 'data_directory_in_use';
}

function move(from: string, to: string): void {
	mkdirSync(dirname(to), { recursive: true, mode: 0o700 });
	try {
		renameSync(from, to);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
		copyFileSync(from, to);
		rmSync(from);
	}
}
