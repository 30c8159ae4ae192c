// `npm run admin:create -- <email> [--name "Full Name"]` makes an admin and prints a one-time
// link, valid 7 days, to set the password. For the first sign-in of a real deployment.
import { databaseConfigFromEnv, openDatabase } from '../lib/server/db/database';
import { migrateToLatest } from '../lib/server/db/migrate';
import { createAdminFromCommandLine } from '../lib/server/users/first-admin';

const args = process.argv.slice(2);
const nameAt = args.indexOf('--name');
const name = nameAt >= 0 ? (args[nameAt + 1] ?? '') : '';
const email = args.filter((a, i) => !a.startsWith('--') && !(nameAt >= 0 && i === nameAt + 1))[0];
if (!email) {
	console.error('Usage: npm run admin:create -- <email> [--name "Full Name"]');
	process.exit(2);
}
const origin = process.env.ORIGIN || `http://localhost:${process.env.PORT || 3000}`;
const database = await openDatabase(databaseConfigFromEnv());
try {
	await migrateToLatest(database.db);
	const link = await createAdminFromCommandLine(database.db, email.toLowerCase(), name || email.split('@')[0]!, origin);
	console.log(`Admin ${email} created. To set the password, open this link within 7 days (it works once):\n${link}`);
} catch (error) {
	console.error(error instanceof Error ? error.message : String(error));
	process.exitCode = 1;
} finally {
	await database.close();
}
