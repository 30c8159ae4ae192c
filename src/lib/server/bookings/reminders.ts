import { withTransaction, type Db } from '../db';
import { queueBookingEmails } from './bookings.emails';
import { updateDueReminders } from './bookings.queries';

/** How far ahead a session must be, at most, for its schools to be reminded. */
export const REMINDER_DAYS = 7;

/**
 * Writes a reminder email to each school with places at a session in the next week, once per
 * booking, and returns how many bookings were reminded. The server does it each morning (see
 * scheduler/jobs.ts); `npm run reminders` does it on demand. Bookings are marked and their
 * emails written in one transaction: a crash part-way leaves both undone, for the next run.
 */
export async function sendReminders(db: Db, now = new Date()): Promise<number> {
	return withTransaction(db, async (trx) => {
		const claimed = await updateDueReminders(trx, now, new Date(now.getTime() + REMINDER_DAYS * 86_400_000));
		await queueBookingEmails(
			trx,
			claimed.map((bookingId) => ({ bookingId, kind: 'reminder' as const }))
		);
		return claimed.length;
	});
}
