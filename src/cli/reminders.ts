// `npm run reminders` writes a reminder email to each school with places at a session in the
// next 7 days, once per booking, and with SMTP_URL set delivers it. The server does this itself
// each day from REMINDER_HOUR (UK time), so this is for doing it now: on PostgreSQL it works
// beside running servers (a booking is reminded once, whoever gets there first). The embedded
// database in DATA_DIR opens in one process at a time: while the server holds it, this says so
// and leaves the reminders to the server.
import { databaseConfigFromEnv, openDatabase, type AppDatabase } from '../lib/server/db/database';
import { DataDirectoryInUseError } from '../lib/server/db/lock';
import { migrateToLatest } from '../lib/server/db/migrate';
import { sendReminders } from '../lib/server/bookings/reminders';
import { deliverBySmtp, smtpConfigured } from '../lib/server/email/email';
import { deliverDueMessages } from '../lib/server/email/sender';
import { reminderHour } from '../lib/server/scheduler/jobs';
import { plural } from '../lib/format';

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

function serverHoldsIt(error: unknown): boolean {
	return error instanceof DataDirectoryInUseError || (error as { code?: string } | undefined)?.code === 'data_directory_in_use';
}

function whenTheServerSends(): string {
	try {
		return `each day from ${String(reminderHour()).padStart(2, '0')}:00 UK time (REMINDER_HOUR)`;
	} catch (error) {
		return `each day, once REMINDER_HOUR is corrected (${message(error)})`;
	}
}

async function main(): Promise<number> {
	const config = databaseConfigFromEnv();
	let database: AppDatabase;
	try {
		database = await openDatabase(config);
	} catch (error) {
		if (config.kind === 'pglite' && serverHoldsIt(error)) {
			console.log(
				`The app's server is running on the embedded database in ${config.dataDir}, and it sends due reminders itself ${whenTheServerSends()}. ` +
					'Nothing to do here: there is no need to run this from cron.'
			);
			return 0;
		}
		console.error(`Reminders failed: ${message(error)}`);
		return 1;
	}
	try {
		await migrateToLatest(database.db);
		const reminded = await sendReminders(database.db);
		if (!smtpConfigured()) {
			console.log(`Kept ${plural(reminded, 'reminder')} in the outbox: no mail server is set up (SMTP_URL).`);
			return 0;
		}
		const { sent, retried, failed } = await deliverDueMessages(database.db, deliverBySmtp);
		console.log(`Reminded ${plural(reminded, 'booking')}; delivered ${plural(sent, 'queued email')}.`);
		if (retried + failed > 0) console.log(`The mail server did not take ${plural(retried + failed, 'email')}: see the Outbox page.`);
		return 0;
	} catch (error) {
		console.error(`Reminders failed: ${message(error)}`);
		return 1;
	} finally {
		await database.close();
	}
}

process.exitCode = await main();
