import type { Db } from '../db';
import { sendBookingEmails } from './bookings.emails';
import { updateDueReminders } from './bookings.queries';

/** How far ahead a session must be, at most, for its schools to be reminded. */
export const REMINDER_DAYS = 7;

/**
 * Emails each school with places at a session in the next week a reminder, once per booking,
 * and returns how many bookings were reminded. Run it daily (`npm run reminders`). A booking is
 * marked before its email goes, so a crash part-way leaves some unsent rather than sends twice.
 */
export async function sendReminders(db: Db, now = new Date()): Promise<number> {
	const claimed = await updateDueReminders(db, now, new Date(now.getTime() + REMINDER_DAYS * 86_400_000));
	await sendBookingEmails(
		db,
		claimed.map((bookingId) => ({ bookingId, kind: 'reminder' as const }))
	);
	return claimed.length;
}
