import { describe, expect, it, vi } from 'vitest';
import { sendPasswordReset } from '../../../src/lib/server/auth/auth.service';
import { cancelBooking, decideRequest } from '../../../src/lib/server/bookings/bookings.service';
import { sendReminders } from '../../../src/lib/server/bookings/reminders';
import { withTransaction } from '../../../src/lib/server/db';
import { cancelSession, updateSessionDetails } from '../../../src/lib/server/sessions/sessions.service';
import { inviteUser, resendInvitation } from '../../../src/lib/server/users/users.service';
import { useTestDatabase } from '../../support/database';
import {
	book,
	createLedProgramme,
	makeContact,
	minutesIntoWindow,
	OPEN,
	outboxSubjects,
	SCHEDULED_AT,
	scheduleLeadSession,
	sessionValues,
	storedBooking
} from '../../support/booking-world';
import { makeActor, makeUser } from '../../support/factories';
import { stopsAfterCommit, untilStopped } from '../../support/stops-after-commit';

// An email exists if and only if the change that causes it committed. Each service here runs
// on a database that "dies" the moment its transaction commits: whatever it meant to write
// after the commit is lost, as it would be if the process were killed there. With a mail server
// set up, as in production, the emails are queued for the sender.
vi.stubEnv('SMTP_URL', 'smtp://mail.example.invalid:2525');

const t = useTestDatabase();
const origin = 'https://tracker.example.org';
const confirmed = /^Booking confirmed: /;
const promoted = /^Places confirmed from the waiting list: /;

async function statuses(to: string) {
	const rows = await t.db.selectFrom('outbox_message').select('status').where('to_address', '=', to).execute();
	return rows.map((r) => r.status);
}

describe('a booking and its emails', () => {
	it('has its confirmation queued even when the process stops right after the booking commits', async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world);
		const contact = await makeContact(t.db);

		await untilStopped(book(stopsAfterCommit(t.db), contact, sessionId, 3));

		const [booking] = await t.db.selectFrom('booking').select('id').where('session_id', '=', sessionId).execute();
		expect(booking).toBeDefined();
		expect(await outboxSubjects(t.db, contact.email)).toEqual([expect.stringMatching(confirmed)]);
		expect(await statuses(contact.email)).toEqual(['queued']);
	});

	it('leaves no email when the booking’s transaction rolls back', async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world);
		const contact = await makeContact(t.db);

		await expect(
			withTransaction(t.db, async (trx) => {
				expect(await book(trx, contact, sessionId, 3)).toMatchObject({ ok: true, status: 'confirmed' });
				throw new Error('something later in the same change failed');
			})
		).rejects.toThrow('something later');

		expect(await t.db.selectFrom('booking').select('id').where('session_id', '=', sessionId).execute()).toEqual([]);
		expect(await outboxSubjects(t.db, contact.email)).toEqual([]);
	});

	it('writes no email for a booking that is refused', async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world, { capacity: '5' });
		const contact = await makeContact(t.db);
		expect(await book(t.db, contact, sessionId, 6)).toMatchObject({ ok: false, reason: 'over_capacity' });
		expect(await outboxSubjects(t.db, contact.email)).toEqual([]);
	});

	it('has the cancellation and the waiting list’s promotion queued with the cancelling commit', async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world, { capacity: '4' });
		const [holder, waiting] = [await makeContact(t.db), await makeContact(t.db)];
		const held = await book(t.db, holder, sessionId, 4);
		await book(t.db, waiting, sessionId, 2, minutesIntoWindow(1));
		if (!held.ok) throw new Error('the first booking was refused');

		await untilStopped(cancelBooking(stopsAfterCommit(t.db), holder, held.bookingId, minutesIntoWindow(2)));

		expect(await storedBooking(t.db, held.bookingId)).toMatchObject({ status: 'cancelled' });
		expect(await outboxSubjects(t.db, holder.email)).toContainEqual(expect.stringMatching(/^Booking cancelled: /));
		expect(await outboxSubjects(t.db, waiting.email)).toContainEqual(expect.stringMatching(promoted));
	});

	it('has a declined request’s email queued with the decision', async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world, { requiresApproval: true });
		const contact = await makeContact(t.db);
		const request = await book(t.db, contact, sessionId, 4);
		if (!request.ok) throw new Error('the request was refused');

		await untilStopped(decideRequest(stopsAfterCommit(t.db), world.lead, request.bookingId, false));

		expect(await outboxSubjects(t.db, contact.email)).toContainEqual(expect.stringMatching(/^Booking request declined: /));
	});
});

describe('a session’s changes and their emails', () => {
	it('queues the promotions a larger capacity makes with the change', async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world, { capacity: '3' });
		await book(t.db, await makeContact(t.db), sessionId, 3);
		const waiting = await makeContact(t.db);
		expect(await book(t.db, waiting, sessionId, 2, minutesIntoWindow(1))).toMatchObject({ status: 'waitlisted' });

		await untilStopped(updateSessionDetails(stopsAfterCommit(t.db), world.lead, world.programmeId, sessionId, sessionValues({ capacity: '5' }), SCHEDULED_AT));

		expect(await outboxSubjects(t.db, waiting.email)).toContainEqual(expect.stringMatching(promoted));
	});

	it('queues every booked school’s email with the cancellation', async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world);
		const [first, second] = [await makeContact(t.db), await makeContact(t.db)];
		await book(t.db, first, sessionId, 2);
		await book(t.db, second, sessionId, 2, minutesIntoWindow(1));

		await untilStopped(cancelSession(stopsAfterCommit(t.db), world.lead, world.programmeId, sessionId));

		for (const contact of [first, second]) expect(await outboxSubjects(t.db, contact.email)).toContainEqual(expect.stringMatching(/^Session cancelled: /));
	});

	it('queues reminders with the marks that stop them being sent twice', async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world);
		const contact = await makeContact(t.db);
		await book(t.db, contact, sessionId, 2);
		// Five days before the session on 20 March 2030.
		const fiveDaysBefore = new Date('2030-03-15T07:00:00Z');

		await untilStopped(sendReminders(stopsAfterCommit(t.db), fiveDaysBefore));

		expect(await outboxSubjects(t.db, contact.email)).toContainEqual(expect.stringMatching(/^Reminder: /));
		expect(await sendReminders(t.db, fiveDaysBefore)).toBe(0);
	});
});

describe('accounts and their emails', () => {
	it('queues an invitation with the account it invites', async () => {
		const admin = await makeActor(t.db);
		await untilStopped(inviteUser(stopsAfterCommit(t.db), admin, { email: 'new.lead@example.org', name: 'Nia Lead', role: 'lead', schoolId: null }, origin));
		expect(await t.db.selectFrom('app_user').select('status').where('email', '=', 'new.lead@example.org').executeTakeFirst()).toEqual({ status: 'invited' });
		expect(await outboxSubjects(t.db, 'new.lead@example.org')).toEqual([expect.stringMatching(/invited/)]);
	});

	it('queues a new invitation link with the token that replaces the old one', async () => {
		const admin = await makeActor(t.db);
		const invited = await makeUser(t.db, { status: 'invited' });
		await untilStopped(resendInvitation(stopsAfterCommit(t.db), admin, invited.id, origin));
		expect(await outboxSubjects(t.db, invited.email)).toEqual([expect.stringMatching(/invited/)]);
	});

	it('queues a password reset link with the token it holds', async () => {
		const user = await makeUser(t.db);
		await untilStopped(sendPasswordReset(stopsAfterCommit(t.db), user.email, origin, '198.51.100.7'));
		const tokens = await t.db.selectFrom('user_token').select('purpose').where('user_id', '=', user.id).execute();
		expect(tokens).toEqual([{ purpose: 'password_reset' }]);
		expect(await outboxSubjects(t.db, user.email)).toEqual([expect.stringMatching(/^Reset your/)]);
	});
});

it('keeps the whole message in the outbox, unsent, when no mail server is set up', async () => {
	vi.stubEnv('SMTP_URL', '');
	try {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world);
		const contact = await makeContact(t.db);
		await book(t.db, contact, sessionId, 1, OPEN);
		const rows = await t.db.selectFrom('outbox_message').select(['status', 'body_text', 'next_attempt_at']).where('to_address', '=', contact.email).execute();
		expect(rows).toEqual([{ status: 'kept', body_text: expect.stringContaining('/bookings/'), next_attempt_at: null }]);
	} finally {
		vi.stubEnv('SMTP_URL', 'smtp://mail.example.invalid:2525');
	}
});
