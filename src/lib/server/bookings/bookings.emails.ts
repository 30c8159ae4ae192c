import type { Transaction } from 'kysely';
import type { DB } from '../db/schema';
import { queueEmail } from '../email/email';
import { appOrigin } from '../origin';
import { formatDateTime } from '../../format';
import { yearGroupLabels } from '../../year-groups';
import { findBookingDetail, listSchoolContactEmails, type BookingDetail } from './bookings.queries';

export type BookingEmailKind =
	'confirmed' | 'requested' | 'waitlisted' | 'promoted' | 'changed' | 'cancelled' | 'declined' | 'session_cancelled' | 'reminder' | 'reinstated';
export interface BookingEmail {
	bookingId: string;
	kind: BookingEmailKind;
}

const subjects: Record<BookingEmailKind, string> = {
	confirmed: 'Booking confirmed',
	requested: 'Booking request received',
	waitlisted: 'On the waiting list',
	promoted: 'Places confirmed from the waiting list',
	changed: 'Booking changed',
	cancelled: 'Booking cancelled',
	declined: 'Booking request declined',
	session_cancelled: 'Session cancelled',
	reminder: 'Reminder: session coming up',
	reinstated: 'Booking cancellation undone'
};

function placesLine(b: BookingDetail): string {
	if (b.status === 'cancelled') return `The booking for ${b.places} places is cancelled.`;
	if (b.status === 'requested') return `You asked for ${b.places} places. The programme lead will confirm them.`;
	if (b.status === 'confirmed') return `${b.confirmed_places} places are confirmed.`;
	return b.confirmed_places > 0
		? `${b.confirmed_places} of your ${b.places} places are confirmed; the other ${b.places - b.confirmed_places} are on the waiting list.`
		: `All ${b.places} places are on the waiting list. We will email you if places become free.`;
}

export function bookingEmailText(kind: BookingEmailKind, b: BookingDetail): { subject: string; text: string } {
	const intro: Record<BookingEmailKind, string> = {
		confirmed: 'Your booking is confirmed.',
		requested: 'We have your booking request.',
		waitlisted: 'The session is full, so your booking is on the waiting list.',
		promoted: 'Places have become free and have gone to your booking.',
		changed: 'Your booking has been changed.',
		cancelled: 'Your booking has been cancelled.',
		declined: 'The programme lead could not accept your booking request.',
		session_cancelled: 'We are sorry: this session has been cancelled. The programme team will be in touch about another date.',
		reminder: 'This is a reminder that your school is booked on this session, which is less than a week away.',
		reinstated: 'The cancellation of your booking has been undone: your places are back.'
	};
	const text = [
		`${intro[kind]}`,
		'',
		`${b.programme_name}`,
		`When: ${formatDateTime(b.starts_at)} to ${formatDateTime(b.ends_at).split(', ')[1]}`,
		`Where: ${b.venue}`,
		`School: ${b.school_name}, ${yearGroupLabels[b.year_group]}`,
		kind === 'session_cancelled' ? '' : placesLine(b),
		'',
		`See or change the booking: ${appOrigin()}/bookings/${b.id}`,
		'',
		'Dover District Safer Stronger Communities Partnership'
	]
		.filter((line, i, all) => line !== '' || all[i - 1] !== '')
		.join('\n');
	return { subject: `${subjects[kind]}: ${b.programme_name}, ${formatDateTime(b.starts_at).split(',')[0]}`, text };
}

/**
 * Writes an email to each booking's school contacts into the outbox, in the transaction of the
 * change (after its writes, so the email says what the booking has become): the emails go if
 * and only if the change commits.
 */
export async function queueBookingEmails(trx: Transaction<DB>, emails: BookingEmail[]): Promise<void> {
	for (const { bookingId, kind } of emails) {
		const booking = await findBookingDetail(trx, bookingId);
		if (!booking) continue;
		const { subject, text } = bookingEmailText(kind, booking);
		for (const to of await listSchoolContactEmails(trx, booking.school_id)) await queueEmail(trx, { to, subject, text });
	}
}
