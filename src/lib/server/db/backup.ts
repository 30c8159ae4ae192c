// Backups of either database, and their restore into an empty one (README, "Backups and
// restore"): PostgreSQL through pg_dump and pg_restore (backup-postgres.ts), the embedded
// database as its data directory, taken by the running server when there is one
// (backup-embedded.ts). Beside each backup, `<file>.counts.json` keeps every table's row count
// as the backup saw it, and a restore compares what it restored with them.
import { existsSync } from 'node:fs';
import type { DatabaseConfig } from './database';
import { backupEmbedded, restoreEmbedded } from './backup-embedded';
import { backupKind, differences, readCounts, type TableCounts } from './backup-files';
import { backupPostgres, restorePostgres } from './backup-postgres';
import { refused, type Result } from '../result';

export { countRows, countsFile, defaultBackupFile, type TableCounts } from './backup-files';

/** How the copy was taken: by pg_dump, by the running server, or from the directory itself. */
export type BackupVia = 'pg_dump' | 'server' | 'directory';

export async function backupDatabase(config: DatabaseConfig, file: string): Promise<Result<{ counts: TableCounts; via: BackupVia }>> {
	if (existsSync(file)) return refused('file_exists', `${file} already exists, and a backup never overwrites a file: give another name.`);
	if (config.kind === 'postgres') {
		const dumped = await backupPostgres(config.url, file);
		return dumped.ok ? { ...dumped, via: 'pg_dump' } : dumped;
	}
	if (config.kind === 'pglite') return backupEmbedded(config.dataDir, file);
	throw new Error('Only a PostgreSQL database or an embedded data directory can be backed up');
}

/**
 * Restores a backup into an empty database of the same kind, then compares every table's row
 * count with the counts kept beside the backup (`checked` is false when there were none).
 */
export async function restoreDatabase(config: DatabaseConfig, file: string): Promise<Result<{ counts: TableCounts; checked: boolean }>> {
	const found = backupKind(file);
	if (!found.ok) return found;
	if (config.kind === 'pglite-template') throw new Error('A backup is restored into PostgreSQL or an embedded data directory');
	const target = config.kind === 'postgres' ? 'postgres' : 'pglite';
	if (found.kind !== target) {
		return found.kind === 'postgres'
			? refused('wrong_kind', `${file} is a PostgreSQL backup: set DATABASE_URL to an empty PostgreSQL database to restore it.`)
			: refused('wrong_kind', `${file} is an embedded database backup: unset DATABASE_URL and set DATA_DIR to an empty directory to restore it.`);
	}
	const restored = config.kind === 'postgres' ? await restorePostgres(config.url, file) : await restoreEmbedded(config.dataDir, file);
	if (!restored.ok) return restored;
	const expected = readCounts(file)?.counts;
	const differ = expected ? differences(expected, restored.counts) : [];
	if (differ.length > 0) {
		return refused('counts_differ', `The restore finished, but these tables' row counts differ from the backup's:\n  ${differ.join('\n  ')}`);
	}
	return { ok: true, counts: restored.counts, checked: expected !== undefined };
}
