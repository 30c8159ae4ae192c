// `npm run db:backup [-- FILE]` backs the database up to FILE (default
// DATA_DIR/backups/ypt-<database>-<UTC time>.<dump|tgz>) and keeps every table's row count
// beside it in FILE.counts.json. PostgreSQL (DATABASE_URL) through pg_dump; the embedded
// database (DATA_DIR, default ./data) through the running server, or from the directory itself
// when no server runs. The README's "Backups and restore" says how to keep and check backups.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { databaseConfigFromEnv } from '../lib/server/db/database';
import { backupDatabase, defaultBackupFile, type BackupVia } from '../lib/server/db/backup';
import { failureErrors } from '../lib/server/result';
import { plural } from '../lib/format';

const how: Record<BackupVia, string> = {
	pg_dump: 'by pg_dump',
	server: 'taken by the running server',
	directory: 'no server was running, so copied from the data directory'
};

const args = process.argv.slice(2);
if (args.length > 1 || args.some((arg) => arg.startsWith('-'))) {
	console.error('Usage: npm run db:backup [-- FILE]');
	process.exit(2);
}
const config = databaseConfigFromEnv();
const file = resolve(args[0] ?? defaultBackupFile(config));
const started = performance.now();
try {
	const result = await backupDatabase(config, file);
	if (result.ok) {
		const rows = Object.values(result.counts).reduce((sum, n) => sum + n, 0);
		const seconds = ((performance.now() - started) / 1000).toFixed(1);
		const size = (statSync(file).size / 2 ** 20).toFixed(1);
		console.log(
			`Backed up ${plural(Object.keys(result.counts).length, 'table')} (${plural(rows, 'row')}) to ${file}: ${size} MB in ${seconds} s, ${how[result.via]}.`
		);
	} else {
		console.error(failureErrors(result).form);
		process.exitCode = 1;
	}
} catch (error) {
	console.error(`The backup failed: ${error instanceof Error ? error.message : String(error)}`);
	process.exitCode = 1;
}
