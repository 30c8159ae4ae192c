import { currentDatabase, type Db } from '../db';
import { sendReminders } from '../bookings/reminders';
import { deliverBySmtp, smtpConfigured } from '../email/email';
import { deliverDueMessages } from '../email/sender';
import { startRollupSchedule, stopRollupSchedule } from '../reports/rollups';
import { runDailyRetention } from '../retention/daily';
import { deactivatedUserRetentionDays } from '../retention/staff';
import { Scheduler } from './scheduler';

// What the server does on its own: deliver queued emails, send the day's reminders, keep the
// report figures up to date (and hear other processes' changes to them), and once a night the retention of personal data (retention/daily.ts).

/** How often the sender looks for queued emails. */
export const OUTBOX_EVERY_MS = 5_000;

/** REMINDER_HOUR: the UK hour (0-23) from which the server sends the day's reminders; 7 unless set. */
export function reminderHour(env: NodeJS.ProcessEnv = process.env): number {
	const text = env.REMINDER_HOUR?.trim() || '7';
	const hour = Number(text);
	if (!/^\d{1,2}$/.test(text) || hour > 23) throw new Error(`REMINDER_HOUR must be a whole hour from 0 to 23 (UK time), not "${text}"`);
	return hour;
}

/** The UK hour from which the night's retention runs: early, before anyone is at work. */
export const RETENTION_HOUR = 2;

async function deliverQueuedEmails(db: Db): Promise<void> {
	const { retried, failed } = await deliverDueMessages(db, deliverBySmtp);
	// Counts only: addresses and errors are on the Outbox page, for admins.
	if (retried > 0) console.error(`Outbox: the mail server did not take ${retried} email(s); they will be tried again (see the Outbox page)`);
	if (failed > 0) console.error(`Outbox: ${failed} email(s) failed for good after every try (see the Outbox page)`);
}

/** The server's scheduler, with every job the app runs on its own; tests pass a fake clock. */
export function appScheduler(db: () => Db, clock?: () => Date): Scheduler {
	// A wrong setting stops the server at start, not at 02:00.
	deactivatedUserRetentionDays();
	const scheduler = new Scheduler(db, clock)
		.hold({ name: 'report figures', start: () => startRollupSchedule(db, { listen: currentDatabase()?.listen }), stop: stopRollupSchedule })
		.onceADay({ name: 'reminders', hour: reminderHour(), run: (trx, now) => sendReminders(trx, now) })
		.onceADay({ name: 'retention', hour: RETENTION_HOUR, run: (trx, now) => runDailyRetention(trx, now) });
	// Without a mail server nothing is queued: emails are kept in the outbox for admins to read.
	if (smtpConfigured()) scheduler.every({ name: 'outbox', everyMs: OUTBOX_EVERY_MS, run: deliverQueuedEmails });
	return scheduler;
}
