// `npm run db:restore -- FILE` restores a backup made by `npm run db:backup` into an empty
// database: the PostgreSQL database of DATABASE_URL (made empty with createdb), or, without it,
// an empty DATA_DIR. It never overwrites a database. Then it compares every table's row count
// with the counts kept beside the backup, which is also how to check a backup (README).
import { resolve } from 'node:path';
import { databaseConfigFromEnv } from '../lib/server/db/database';
import { restoreDatabase } from '../lib/server/db/backup';
import { failureErrors } from '../lib/server/result';
import { plural } from '../lib/format';

const args = process.argv.slice(2);
if (args.length !== 1 || args[0]!.startsWith('-')) {
	console.error('Usage: npm run db:restore -- FILE   (into the empty database of DATABASE_URL, or an empty DATA_DIR)');
	process.exit(2);
}
const file = resolve(args[0]!);
const started = performance.now();
try {
	const result = await restoreDatabase(databaseConfigFromEnv(), file);
	if (result.ok) {
		const rows = Object.values(result.counts).reduce((sum, n) => sum + n, 0);
		const seconds = ((performance.now() - started) / 1000).toFixed(1);
		console.log(`Restored ${plural(Object.keys(result.counts).length, 'table')} (${plural(rows, 'row')}) from ${file} in ${seconds} s.`);
		console.log(
			result.checked
				? "Every table's row count matches the backup's."
				: `There was no ${file}.counts.json beside the backup, so the row counts were not compared.`
		);
		console.log('The app applies any newer migrations when it starts on this database.');
	} else {
		console.error(failureErrors(result).form);
		process.exitCode = 1;
	}
} catch (error) {
	console.error(`The restore failed: ${error instanceof Error ? error.message : String(error)}`);
	process.exitCode = 1;
}
