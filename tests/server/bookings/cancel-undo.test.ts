import { describe, expect, it, vi } from 'vitest';
import { cancelBooking, previewCancelBooking, undoCancelBooking } from '../../../src/lib/server/bookings/bookings.service';
import { previewCancelSession } from '../../../src/lib/server/sessions/sessions.service';
import { useTestDatabase } from '../../support/database';
import { auditEvents, makeActor } from '../../support/factories';
import {
	book,
	confirmedPlaces,
	createLedProgramme,
	makeContact,
	minutesIntoWindow,
	outboxSubjects,
	scheduleLeadSession,
	storedBooking
} from '../../support/booking-world';

const t = useTestDatabase();
vi.stubEnv('SMTP_URL', '');

function booked<T extends { ok: boolean }>(result: T): Extract<T, { ok: true }> {
	expect(result).toMatchObject({ ok: true });
	return result as Extract<T, { ok: true }>;
}

describe('the page that asks before a booking is cancelled', () => {
	it('says how many places are freed, how many schools wait for them, and who is emailed', async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world, { capacity: '120' });
		const holder = await makeContact(t.db);
		const held = booked(await book(t.db, holder, sessionId, 120));
		await makeActor(t.db, { role: 'school', schoolId: holder.schoolId! });
		booked(await book(t.db, await makeContact(t.db), sessionId, 30, minutesIntoWindow(1)));
		booked(await book(t.db, await makeContact(t.db), sessionId, 10, minutesIntoWindow(2)));
		const preview = await previewCancelBooking(t.db, holder, held.bookingId);
		expect(preview).toMatchObject({ freedPlaces: 120, waitingSchools: 2, waitingPlaces: 40, contacts: 2 });
		// Asking changes nothing.
		expect(await storedBooking(t.db, held.bookingId)).toEqual({ status: 'confirmed', places: 120, confirmed_places: 120 });
	});

	it('is a 404 for another school, as the cancellation itself is', async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world);
		const held = booked(await book(t.db, await makeContact(t.db), sessionId, 5));
		await expect(previewCancelBooking(t.db, await makeContact(t.db), held.bookingId)).rejects.toMatchObject({ status: 404 });
	});
});

describe('undoCancelBooking', () => {
	it('gives a booking cancelled minutes ago its places back while they are free, audited and emailed', async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world, { capacity: '30' });
		const contact = await makeContact(t.db);
		const held = booked(await book(t.db, contact, sessionId, 20));
		expect(await cancelBooking(t.db, contact, held.bookingId, minutesIntoWindow(10))).toEqual({ ok: true });
		expect(await confirmedPlaces(t.db, sessionId)).toBe(0);
		expect(await undoCancelBooking(t.db, contact, held.bookingId, minutesIntoWindow(20))).toEqual({ ok: true });
		expect(await storedBooking(t.db, held.bookingId)).toEqual({ status: 'confirmed', places: 20, confirmed_places: 20 });
		expect(await auditEvents(t.db, 'booking.cancel_undone')).toMatchObject([{ entity_id: held.bookingId, actor_id: contact.id }]);
		expect(await outboxSubjects(t.db, contact.email)).toContainEqual(expect.stringMatching(/^Booking cancellation undone: /));
	});

	it('refuses once the places have gone to a school on the waiting list', async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world, { capacity: '30' });
		const contact = await makeContact(t.db);
		const held = booked(await book(t.db, contact, sessionId, 30));
		const waiting = booked(await book(t.db, await makeContact(t.db), sessionId, 6, minutesIntoWindow(1)));
		await cancelBooking(t.db, contact, held.bookingId, minutesIntoWindow(10));
		expect(await storedBooking(t.db, waiting.bookingId)).toEqual({ status: 'confirmed', places: 6, confirmed_places: 6 });
		expect(await undoCancelBooking(t.db, contact, held.bookingId, minutesIntoWindow(11))).toMatchObject({ ok: false, reason: 'places_taken', field: 'undo' });
		expect(await storedBooking(t.db, held.bookingId)).toMatchObject({ status: 'cancelled', confirmed_places: 0 });
		expect(await confirmedPlaces(t.db, sessionId)).toBe(6);
	});

	it('refuses after 15 minutes', async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world);
		const contact = await makeContact(t.db);
		const held = booked(await book(t.db, contact, sessionId, 5));
		await cancelBooking(t.db, contact, held.bookingId, minutesIntoWindow(10));
		expect(await undoCancelBooking(t.db, contact, held.bookingId, minutesIntoWindow(25))).toMatchObject({ ok: false, reason: 'undo_expired' });
		expect(await undoCancelBooking(t.db, contact, held.bookingId, minutesIntoWindow(24))).toEqual({ ok: true });
	});

	it('refuses a booking that is not cancelled, and is a 404 for another school', async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world);
		const contact = await makeContact(t.db);
		const held = booked(await book(t.db, contact, sessionId, 5));
		expect(await undoCancelBooking(t.db, contact, held.bookingId, minutesIntoWindow(1))).toMatchObject({ ok: false, reason: 'not_undoable' });
		await cancelBooking(t.db, contact, held.bookingId, minutesIntoWindow(2));
		await expect(undoCancelBooking(t.db, await makeContact(t.db), held.bookingId, minutesIntoWindow(3))).rejects.toMatchObject({ status: 404 });
	});
});

describe('the page that asks before a session is cancelled', () => {
	it('counts the bookings, places and schools the cancellation emails', async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world, { capacity: '10' });
		booked(await book(t.db, await makeContact(t.db), sessionId, 8));
		booked(await book(t.db, await makeContact(t.db), sessionId, 5, minutesIntoWindow(1), { partial: 'take' }));
		const gone = await makeContact(t.db);
		const cancelled = booked(await book(t.db, gone, sessionId, 1, minutesIntoWindow(2)));
		await cancelBooking(t.db, gone, cancelled.bookingId, minutesIntoWindow(3));
		const preview = await previewCancelSession(t.db, world.lead, world.programmeId, sessionId);
		expect(preview).toMatchObject({ bookings: 2, places: 10, waiting: 3 });
		expect(preview.schools).toHaveLength(2);
		await expect(previewCancelSession(t.db, await makeActor(t.db, { role: 'lead' }), world.programmeId, sessionId)).rejects.toMatchObject({ status: 404 });
	});
});
