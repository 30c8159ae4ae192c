import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendReminders } from '../../../src/lib/server/bookings/reminders';
import { useTestDatabase } from '../../support/database';
import { emailsTo, makeBooking, makeSchool, makeSession, makeUser } from '../../support/factories';

const t = useTestDatabase();
const DAY = 86_400_000;
const now = new Date('2030-03-04T07:00:00Z');
const inDays = (days: number) => new Date(now.getTime() + days * DAY);

// Without SMTP the outbox keeps each whole message, so the test can read who got what.
let savedSmtp: string | undefined;
beforeAll(() => {
	savedSmtp = process.env.SMTP_URL;
	process.env.SMTP_URL = '';
});
afterAll(() => {
	if (savedSmtp === undefined) delete process.env.SMTP_URL;
	else process.env.SMTP_URL = savedSmtp;
});

async function sessionIn(days: number, overrides: Parameters<typeof makeSession>[1] = {}) {
	return makeSession(t.db, { starts_at: inDays(days), ...overrides });
}

async function reminded(bookingId: string) {
	const row = await t.db.selectFrom('booking').select('reminder_sent_at').where('id', '=', bookingId).executeTakeFirstOrThrow();
	return row.reminder_sent_at !== null;
}

describe('sendReminders', () => {
	it('reminds bookings with places at a session 6 days ahead, but not 8 days ahead', async () => {
		const soon = await makeBooking(t.db, { session_id: (await sessionIn(6)).id });
		const partly = await makeBooking(t.db, { session_id: (await sessionIn(6)).id, status: 'waitlisted', places: 10, confirmed_places: 3 });
		const later = await makeBooking(t.db, { session_id: (await sessionIn(8)).id });

		expect(await sendReminders(t.db, now)).toBe(2);

		expect(await reminded(soon.id)).toBe(true);
		expect(await reminded(partly.id)).toBe(true);
		expect(await reminded(later.id)).toBe(false);
	});

	it('leaves out cancelled bookings, cancelled sessions, bookings without places and sessions already started', async () => {
		const session = await sessionIn(6);
		const cancelled = await makeBooking(t.db, { session_id: session.id, status: 'cancelled', cancelled_at: now });
		const waiting = await makeBooking(t.db, { session_id: session.id, status: 'waitlisted', confirmed_places: 0 });
		const requested = await makeBooking(t.db, { session_id: session.id, status: 'requested' });
		const atCancelled = await makeBooking(t.db, { session_id: (await sessionIn(6, { status: 'cancelled' })).id });
		const started = await makeBooking(t.db, { session_id: (await sessionIn(-1 / 24)).id });

		expect(await sendReminders(t.db, now)).toBe(0);

		for (const booking of [cancelled, waiting, requested, atCancelled, started]) expect(await reminded(booking.id)).toBe(false);
		expect(await t.db.selectFrom('outbox_message').selectAll().execute()).toEqual([]);
	});

	it('sends nothing the second time', async () => {
		const contact = await makeUser(t.db, { role: 'school' });
		await makeBooking(t.db, { school_id: contact.school_id!, session_id: (await sessionIn(3)).id });

		expect(await sendReminders(t.db, now)).toBe(1);
		expect(await sendReminders(t.db, new Date(now.getTime() + 60_000))).toBe(0);

		expect(await emailsTo(t.db, contact.email)).toHaveLength(1);
	});

	it('emails each reminder to the school’s active contacts only', async () => {
		const school = await makeSchool(t.db);
		const [first, second, invited, gone] = [
			await makeUser(t.db, { role: 'school', schoolId: school.id }),
			await makeUser(t.db, { role: 'school', schoolId: school.id }),
			await makeUser(t.db, { role: 'school', schoolId: school.id, status: 'invited' }),
			await makeUser(t.db, { role: 'school', schoolId: school.id, status: 'deactivated' })
		];
		const otherSchoolContact = await makeUser(t.db, { role: 'school' });
		const booking = await makeBooking(t.db, { school_id: school.id, session_id: (await sessionIn(6, { venue: 'Deal Pier' })).id });

		await sendReminders(t.db, now);

		for (const contact of [first, second]) {
			const emails = await emailsTo(t.db, contact.email);
			expect(emails).toEqual([expect.objectContaining({ subject: expect.stringMatching(/^Reminder/), status: 'kept' })]);
			expect(emails[0]!.body_text).toContain('Where: Deal Pier');
			expect(emails[0]!.body_text).toContain(`/bookings/${booking.id}`);
		}
		for (const contact of [invited, gone, otherSchoolContact]) expect(await emailsTo(t.db, contact.email)).toEqual([]);
	});
});
