// `npm run reminders` emails each school with places at a session in the next 7 days, once per
// booking: run it daily (from cron or a scheduled task). Uses DATABASE_URL, or the embedded
// database in DATA_DIR (default ./data); SMTP_URL, MAIL_FROM and ORIGIN as the server does.
import { databaseConfigFromEnv, openDatabase } from '../lib/server/db/database';
import { migrateToLatest } from '../lib/server/db/migrate';
import { sendReminders } from '../lib/server/bookings/reminders';
import { plural } from '../lib/format';

const database = await openDatabase(databaseConfigFromEnv());
try {
	await migrateToLatest(database.db);
	const sent = await sendReminders(database.db);
	console.log(`Sent ${plural(sent, 'reminder')}`);
} catch (error) {
	console.error(`Reminders failed: ${error instanceof Error ? error.message : String(error)}`);
	process.exitCode = 1;
} finally {
	await database.close();
}
