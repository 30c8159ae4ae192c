// Creates a new embedded database with the demo data, then exits: `npm start` (start.js) runs
// this in a process of its own when DATA_DIR holds no database yet, before the server opens it.
// Creating a data directory and seeding it grows PGlite's WebAssembly memory to 700-900 MB,
// which WebAssembly never gives back while the process lives; here it goes when the process
// ends, and the server opens a database that already exists, in under 300 MB.
import { readFileSync } from 'node:fs';
import { databaseConfigFromEnv, openDatabase, vacuumAnalyze } from '../lib/server/db/database';
import { migrateToLatest } from '../lib/server/db/migrate';
import { hasAnyUser, seedDemo } from '../lib/server/demo/seed';

const config = databaseConfigFromEnv();
if (config.kind !== 'pglite') throw new Error('prepare-embedded is for the embedded database: unset DATABASE_URL');
const csv = readFileSync(new URL('../lib/server/demo/demo-schools.csv', import.meta.url), 'utf8');
const database = await openDatabase(config);
try {
	for (const line of await migrateToLatest(database.db)) console.log(`Database: ${line}`);
	if (!(await hasAnyUser(database.db))) {
		await seedDemo(database.db, csv);
		console.log(`Seeded demo data into ${config.dataDir}.`);
	}
	// Here rather than in the server: PGlite has no autovacuum, so the new rows' visibility and the
	// planner's statistics are settled once, in the process whose memory goes when it ends.
	await vacuumAnalyze(database.db);
} catch (error) {
	console.error(error instanceof Error ? error.message : String(error));
	process.exitCode = 1;
} finally {
	await database.close();
}
