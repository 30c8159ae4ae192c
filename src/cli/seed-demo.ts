// `npm run db:seed-demo` puts the demo schools and sign-ins into an empty database, such as a
// new PostgreSQL database. It refuses a database that already has users.
import { readFileSync } from 'node:fs';
import { databaseConfigFromEnv, openDatabase } from '../lib/server/db/database';
import { migrateToLatest } from '../lib/server/db/migrate';
import { describeSignIns, seedDemo } from '../lib/server/demo/seed';

const csv = readFileSync(new URL('../lib/server/demo/demo-schools.csv', import.meta.url), 'utf8');
const database = await openDatabase(databaseConfigFromEnv());
try {
	await migrateToLatest(database.db);
	await seedDemo(database.db, csv);
	console.log(describeSignIns());
} catch (error) {
	console.error(error instanceof Error ? error.message : String(error));
	process.exitCode = 1;
} finally {
	await database.close();
}
