import { describe, expect, it, vi } from 'vitest';
import { cancelBooking } from '../../../src/lib/server/bookings/bookings.service';
import { useTestDatabase } from '../../support/database';
import { book, confirmedPlaces, createLedProgramme, makeContact, minutesIntoWindow, scheduleLeadSession, storedBooking } from '../../support/booking-world';

const t = useTestDatabase();
vi.stubEnv('SMTP_URL', '');

function booked<T extends { ok: boolean }>(result: T): Extract<T, { ok: true }> {
	expect(result).toMatchObject({ ok: true });
	return result as Extract<T, { ok: true }>;
}

describe('a school asking for more places than are free', () => {
	it('is asked what to do, and nothing is booked until it chooses', async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world, { capacity: '30' });
		booked(await book(t.db, await makeContact(t.db), sessionId, 24));
		const contact = await makeContact(t.db);
		const asked = await book(t.db, contact, sessionId, 30, minutesIntoWindow(1));
		expect(asked).toEqual({
			ok: false,
			code: 'refused',
			reason: 'partial_offer',
			message: 'Only 6 of the 30 places you asked for are free: choose what to do',
			field: 'partial'
		});
		expect(await confirmedPlaces(t.db, sessionId)).toBe(24);
	});

	it('takes the 6 free places and waits for 24', async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world, { capacity: '30' });
		booked(await book(t.db, await makeContact(t.db), sessionId, 24));
		const result = booked(await book(t.db, await makeContact(t.db), sessionId, 30, minutesIntoWindow(1), { partial: 'take' }));
		expect(result).toMatchObject({ status: 'waitlisted', places: 30, confirmedPlaces: 6 });
	});

	it('waits for all 30, passed over by smaller requests until 30 are free at once', async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world, { capacity: '30' });
		const first = await makeContact(t.db);
		const holder = booked(await book(t.db, first, sessionId, 24));
		const whole = booked(await book(t.db, await makeContact(t.db), sessionId, 30, minutesIntoWindow(1), { partial: 'wait' }));
		expect(whole).toMatchObject({ status: 'waitlisted', confirmedPlaces: 0 });
		// The 6 free places go to a later school that wants 4, not part-way to the whole booking.
		const small = booked(await book(t.db, await makeContact(t.db), sessionId, 4, minutesIntoWindow(2)));
		expect(small).toMatchObject({ status: 'confirmed', confirmedPlaces: 4 });
		expect(await storedBooking(t.db, whole.bookingId)).toEqual({ status: 'waitlisted', places: 30, confirmed_places: 0 });
		// Once 26 are free it still waits; it never holds part of its places.
		await cancelBooking(t.db, first, holder.bookingId, minutesIntoWindow(3));
		expect(await storedBooking(t.db, whole.bookingId)).toEqual({ status: 'waitlisted', places: 30, confirmed_places: 0 });
		expect(await confirmedPlaces(t.db, sessionId)).toBe(4);
	});

	it('is not asked when the session is full: the booking waits in the queue as before', async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world, { capacity: '5' });
		booked(await book(t.db, await makeContact(t.db), sessionId, 5));
		expect(await book(t.db, await makeContact(t.db), sessionId, 3, minutesIntoWindow(1))).toMatchObject({ ok: true, status: 'waitlisted' });
	});
});

describe('a school booking the same session and year group twice', () => {
	it('is asked whether to change the first booking, and may book as well when it says so', async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world, { capacity: '30' });
		const contact = await makeContact(t.db);
		booked(await book(t.db, contact, sessionId, 6));
		const again = await book(t.db, contact, sessionId, 4, minutesIntoWindow(1));
		expect(again).toMatchObject({
			ok: false,
			reason: 'already_booked',
			field: 'again',
			message: expect.stringMatching(/already has a booking for Year 7 at this session \(6 confirmed\)/)
		});
		expect(await confirmedPlaces(t.db, sessionId)).toBe(6);
		// Another year group is a booking of its own; the same one again only when asked for.
		booked(await book(t.db, contact, sessionId, 2, minutesIntoWindow(2), { yearGroup: 'Y8' }));
		booked(await book(t.db, contact, sessionId, 4, minutesIntoWindow(3), { again: 'yes' }));
		expect(await confirmedPlaces(t.db, sessionId)).toBe(12);
	});
});
