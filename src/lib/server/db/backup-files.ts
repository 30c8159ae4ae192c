// What both kinds of backup share: the row counts kept beside each backup so a restore can
// check itself, private files written whole, default names, and telling the kinds apart.
import { closeSync, mkdirSync, openSync, readFileSync, readSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { DatabaseConfig } from './database';
import { refused, type Result } from '../result';

/** Rows in each table of the app's schema, by table name. */
export type TableCounts = Record<string, number>;

export interface BackupCounts {
	database: 'postgres' | 'pglite';
	takenAt: string;
	counts: TableCounts;
}

/** Counts the rows of every table in the app's schema (its migrations' bookkeeping included). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- every table, whatever its type
export async function countRows(db: Kysely<any>): Promise<TableCounts> {
	const tables = await sql<{ name: string }>`
		select table_name as name from information_schema.tables
		where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name
	`.execute(db);
	if (tables.rows.length === 0) return {};
	const counted = await sql<{ name: string; rows: number }>`${sql.join(
		tables.rows.map(({ name }) => sql`select ${name}::text as name, count(*)::int as rows from ${sql.table(name)}`),
		sql` union all `
	)}`.execute(db);
	return Object.fromEntries(counted.rows.map((row) => [row.name, row.rows]));
}

/** Where a backup's counts are kept: beside it. */
export function countsFile(file: string): string {
	return `${file}.counts.json`;
}

export function writeCounts(file: string, counts: BackupCounts): void {
	writePrivately(countsFile(file), JSON.stringify(counts, null, '\t') + '\n');
}

export function readCounts(file: string): BackupCounts | undefined {
	try {
		return JSON.parse(readFileSync(countsFile(file), 'utf8')) as BackupCounts;
	} catch {
		return undefined;
	}
}

/** The tables whose counts differ, as "table: 12 in the backup, 11 restored". */
export function differences(expected: TableCounts, actual: TableCounts): string[] {
	const tables = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
	return tables.filter((t) => expected[t] !== actual[t]).map((t) => `${t}: ${expected[t] ?? 'none'} in the backup, ${actual[t] ?? 'none'} restored`);
}

/**
 * Writes a file only its owner can read (backups hold young people's personal data), through a
 * temporary name, so a file under the final name is always whole.
 */
export function writePrivately(file: string, data: string | Uint8Array): void {
	mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
	const partial = `${file}.partial`;
	writeFileSync(partial, data, { mode: 0o600 });
	renameSync(partial, file);
}

/** The backups directory of a data directory: where the server writes, and the default. */
export function backupsDirectory(dataDir: string): string {
	return join(dataDir, 'backups');
}

/** `<DATA_DIR>/backups/ypt-<database>-<UTC time>.<dump|tgz>`. */
export function defaultBackupFile(config: DatabaseConfig, env: NodeJS.ProcessEnv = process.env, now = new Date()): string {
	const stamp = now.toISOString().slice(0, 19).replace(/:/g, '-');
	const name = config.kind === 'postgres' ? `ypt-postgres-${stamp}.dump` : `ypt-embedded-${stamp}.tgz`;
	return join(backupsDirectory(resolve(env.DATA_DIR || 'data')), name);
}

/** What a backup file holds, from its first bytes. */
export function backupKind(file: string): Result<{ kind: 'postgres' | 'pglite' }> {
	let head: Buffer;
	try {
		const fd = openSync(file, 'r');
		head = Buffer.alloc(5);
		readSync(fd, head, 0, 5, 0);
		closeSync(fd);
	} catch (error) {
		return refused('no_file', `Cannot read the backup ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
	}
	if (head.toString('latin1') === 'PGDMP') return { ok: true, kind: 'postgres' };
	if (head[0] === 0x1f && head[1] === 0x8b) return { ok: true, kind: 'pglite' };
	return refused('not_a_backup', `${file} is not a backup made by npm run db:backup (neither a pg_dump archive nor an embedded database archive)`);
}
