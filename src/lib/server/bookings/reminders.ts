import type { Db } from '../db';
import { sendBookingEmails } from './bookings.emails';

/** How far ahead a session must be, at most, for its schools to be reminded. */
export const REMINDER_DAYS = 7;

/**
 * Marks as reminded, in one statement, every booking holding places at a scheduled session
 * that starts within the next REMINDER_DAYS and has not been reminded, and returns their ids.
 * The mark and the choice are one UPDATE, so two runs at once cannot both claim a booking
 * (PostgreSQL rechecks `reminder_sent_at is null` on a row another run has just updated).
 */
export async function claimDueReminders(db: Db, now: Date): Promise<string[]> {
	const until = new Date(now.getTime() + REMINDER_DAYS * 86_400_000);
	const rows = await db
		.updateTable('booking')
		.from('programme_session as s')
		.set({ reminder_sent_at: now })
		.whereRef('s.id', '=', 'booking.session_id')
		.where('booking.reminder_sent_at', 'is', null)
		.where((eb) =>
			eb.or([eb('booking.status', '=', 'confirmed'), eb.and([eb('booking.status', '=', 'waitlisted'), eb('booking.confirmed_places', '>', 0)])])
		)
		.where('s.status', '=', 'scheduled')
		.where('s.starts_at', '>', now)
		.where('s.starts_at', '<=', until)
		.returning('booking.id')
		.execute();
	return rows.map((r) => r.id);
}

/**
 * Emails each school with places at a session in the next week a reminder, once per booking,
 * and returns how many bookings were reminded. Run it daily (`npm run reminders`). A booking is
 * marked before its email goes, so a crash part-way leaves some unsent rather than sends twice.
 */
export async function sendReminders(db: Db, now = new Date()): Promise<number> {
	const claimed = await claimDueReminders(db, now);
	await sendBookingEmails(
		db,
		claimed.map((bookingId) => ({ bookingId, kind: 'reminder' as const }))
	);
	return claimed.length;
}
