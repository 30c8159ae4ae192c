// PostgreSQL's backups, with PostgreSQL's own tools: pg_dump's custom format (compressed, every
// table, sequence, index and constraint, from one consistent snapshot while the app runs) and
// pg_restore, which any database administrator already knows. Rewriting them over the pg
// protocol would be a weaker copy of both, so without the client tools on the PATH the command
// says what to install. The tools must be at least the server's major version (pg_dump refuses
// a newer server). The password never appears on a command line: it goes by PGPASSWORD.
import { execFile } from 'node:child_process';
import { renameSync, rmSync } from 'node:fs';
import { sql } from 'kysely';
import { openDatabase } from './database';
import { countRows, writeCounts, writePrivately, type TableCounts } from './backup-files';
import { refused, type Failure, type Result } from '../result';

type Tool = 'pg_dump' | 'pg_restore';

interface Run {
	code: number | 'missing';
	stdout: string;
	stderr: string;
}

function run(tool: Tool, args: string[], url?: string): Promise<Run> {
	const env = { ...process.env };
	if (url) {
		const password = new URL(url).password;
		if (password) env.PGPASSWORD = decodeURIComponent(password);
	}
	return new Promise((resolve) => {
		execFile(tool, args, { env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
			const code = (error as NodeJS.ErrnoException | null)?.code;
			if (code === 'ENOENT') resolve({ code: 'missing', stdout, stderr });
			else resolve({ code: error ? (typeof code === 'number' ? code : 1) : 0, stdout, stderr });
		});
	});
}

/** The address for the tools' --dbname: the same, without the password. */
function withoutPassword(url: string): string {
	const address = new URL(url);
	address.password = '';
	return address.toString();
}

function missing(tool: Tool, serverMajor?: number): Failure {
	const client = serverMajor ? `postgresql-client-${serverMajor}` : 'postgresql-client';
	return refused(
		'tools_missing',
		`${tool} was not found on the PATH. Install PostgreSQL's client tools of the server's version (on Debian or Ubuntu: apt install ${client}), then run this again.`
	);
}

/** The tool's major version, or a refusal saying why it cannot be used with this server. */
async function checkTool(tool: Tool, serverMajor: number): Promise<Result> {
	const version = await run(tool, ['--version']);
	if (version.code === 'missing') return missing(tool, serverMajor);
	const major = Number(/(\d+)(?:\.\d+)?/.exec(version.stdout)?.[1]);
	if (major < serverMajor) {
		return refused(
			'tools_too_old',
			`${tool} is version ${major} but the server is PostgreSQL ${serverMajor}: install postgresql-client-${serverMajor} (or newer) and run this again.`
		);
	}
	return { ok: true };
}

/**
 * Dumps the database at `url` to `file`. The rows are counted in a transaction whose snapshot
 * pg_dump then shares (--snapshot), so the counts are exactly what the backup holds.
 */
export async function backupPostgres(url: string, file: string): Promise<Result<{ counts: TableCounts }>> {
	const database = await openDatabase({ kind: 'postgres', url, poolSize: 1 });
	try {
		const serverMajor = await majorVersion(database.db);
		const usable = await checkTool('pg_dump', serverMajor);
		if (!usable.ok) return usable;
		return await database.db
			.transaction()
			.setIsolationLevel('repeatable read')
			.setAccessMode('read only')
			.execute(async (trx) => {
				const snapshot = await sql<{ id: string }>`select pg_export_snapshot() as id`.execute(trx);
				const counts = await countRows(trx);
				const partial = `${file}.partial`;
				writePrivately(partial, ''); // made private before pg_dump fills it
				const dumped = await run(
					'pg_dump',
					['--format=custom', `--snapshot=${snapshot.rows[0]!.id}`, `--file=${partial}`, `--dbname=${withoutPassword(url)}`],
					url
				);
				if (dumped.code !== 0) {
					rmSync(partial, { force: true });
					throw new Error(`pg_dump failed: ${dumped.stderr.trim()}`);
				}
				renameSync(partial, file);
				writeCounts(file, { database: 'postgres', takenAt: new Date().toISOString(), counts });
				return { ok: true as const, counts };
			});
	} finally {
		await database.close();
	}
}

/**
 * Restores `file` into the database at `url`, which must hold no tables: a restore never mixes
 * into or overwrites a database. One transaction, so a failed restore leaves it empty.
 */
export async function restorePostgres(url: string, file: string): Promise<Result<{ counts: TableCounts }>> {
	const database = await openDatabase({ kind: 'postgres', url, poolSize: 1 });
	try {
		const tables = await sql<{ n: number }>`
			select count(*)::int as n from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema')
		`.execute(database.db);
		if (tables.rows[0]!.n > 0) {
			const name = decodeURIComponent(new URL(url).pathname.slice(1));
			return refused(
				'not_empty',
				`The database ${name} already has tables, and a restore never overwrites one. Create an empty database (createdb, or CREATE DATABASE in psql), point DATABASE_URL at it and run the restore again.`
			);
		}
		const usable = await checkTool('pg_restore', await majorVersion(database.db));
		if (!usable.ok) return usable;
		const restored = await run(
			'pg_restore',
			['--exit-on-error', '--single-transaction', '--no-owner', '--no-privileges', `--dbname=${withoutPassword(url)}`, file],
			url
		);
		if (restored.code !== 0) throw new Error(`pg_restore failed: ${restored.stderr.trim()}`);
		return { ok: true, counts: await countRows(database.db) };
	} finally {
		await database.close();
	}
}

async function majorVersion(db: Parameters<typeof countRows>[0]): Promise<number> {
	const version = await sql<{ v: string }>`select current_setting('server_version_num') as v`.execute(db);
	return Math.floor(Number(version.rows[0]!.v) / 10000);
}
