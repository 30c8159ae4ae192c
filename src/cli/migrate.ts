// `npm run db:migrate` applies every pending migration; `npm run db:migrate -- --down` reverts
// the latest one. Uses DATABASE_URL, or the embedded database in DATA_DIR (default ./data).
import { databaseConfigFromEnv, openDatabase } from '../lib/server/db/database';
import { migrateDown, migrateToLatest } from '../lib/server/db/migrate';

const down = process.argv.includes('--down');
const database = await openDatabase(databaseConfigFromEnv());
try {
	const lines = down ? await migrateDown(database.db) : await migrateToLatest(database.db);
	console.log(lines.length > 0 ? lines.join('\n') : 'Nothing to do: the database is up to date.');
} catch (error) {
	console.error(`Migration failed: ${error instanceof Error ? error.message : String(error)}`);
	process.exitCode = 1;
} finally {
	await database.close();
}
