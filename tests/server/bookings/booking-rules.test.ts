import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { cancelBooking, changePlaces, decideRequest, getBooking } from '../../../src/lib/server/bookings/bookings.service';
import { cancelSession, updateSessionDetails } from '../../../src/lib/server/sessions/sessions.service';
import { useTestDatabase } from '../../support/database';
import { auditEvents } from '../../support/factories';
import {
	book,
	confirmedPlaces,
	makeContact,
	createLedProgramme,
	scheduleLeadSession,
	minutesIntoWindow,
	OPEN,
	outboxSubjects,
	SCHEDULED_AT,
	sessionValues,
	storedBooking
} from '../../support/booking-world';

const t = useTestDatabase();

// Without SMTP every email stays in the outbox with its body, where the tests can read it.
vi.stubEnv('SMTP_URL', '');

const bookingsAt = (sessionId: string) =>
	t.db.selectFrom('booking').select(['id', 'school_id', 'places', 'confirmed_places', 'status']).where('session_id', '=', sessionId).execute();

/** Unwraps a successful booking, failing the test with the errors otherwise. */
function booked<T extends { ok: boolean }>(result: T): Extract<T, { ok: true }> {
	expect(result).toMatchObject({ ok: true });
	return result as Extract<T, { ok: true }>;
}

describe('bookPlaces', () => {
	it('confirms the places while the session has them free, and emails the school', async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world, { capacity: '30' });
		const contact = await makeContact(t.db);
		const result = await book(t.db, contact, sessionId, 10);
		expect(result).toEqual({ ok: true, bookingId: expect.any(String), status: 'confirmed', places: 10, confirmedPlaces: 10, repeated: false });
		expect(await storedBooking(t.db, booked(result).bookingId)).toEqual({ status: 'confirmed', places: 10, confirmed_places: 10 });
		expect(await outboxSubjects(t.db, contact.email)).toEqual([expect.stringMatching(/^Booking confirmed: /)]);
	});

	it('puts the request on the waitlist when the session is full', async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world, { capacity: '5' });
		booked(await book(t.db, await makeContact(t.db), sessionId, 5));
		const late = await makeContact(t.db);
		const result = await book(t.db, late, sessionId, 2, minutesIntoWindow(1));
		expect(result).toMatchObject({ ok: true, status: 'waitlisted', places: 2, confirmedPlaces: 0 });
		expect(await outboxSubjects(t.db, late.email)).toEqual([expect.stringMatching(/^On the waiting list: /)]);
	});

	it('confirms the places that are left and waitlists the rest', async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world, { capacity: '5' });
		booked(await book(t.db, await makeContact(t.db), sessionId, 3));
		const result = await book(t.db, await makeContact(t.db), sessionId, 4, minutesIntoWindow(1), { partial: 'take' });
		expect(result).toMatchObject({ ok: true, status: 'waitlisted', places: 4, confirmedPlaces: 2 });
		expect(await confirmedPlaces(t.db, sessionId)).toBe(5);
	});

	it('finds the booking the first send made when a form is sent twice with the same key', async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world);
		const contact = await makeContact(t.db);
		const idempotencyKey = randomUUID();
		const first = booked(await book(t.db, contact, sessionId, 4, OPEN, { idempotencyKey }));
		const second = await book(t.db, contact, sessionId, 4, minutesIntoWindow(1), { idempotencyKey });
		expect(second).toEqual({ ...first, repeated: true });
		expect(await bookingsAt(sessionId)).toHaveLength(1);
	});

	it('lets a lead book for a school, even after the school booking window has closed', async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world);
		const contact = await makeContact(t.db);
		const afterClosing = new Date('2030-03-18T09:00:00Z');
		const result = booked(await book(t.db, world.lead, sessionId, 6, afterClosing, { schoolId: contact.schoolId! }));
		expect(result).toMatchObject({ status: 'confirmed', confirmedPlaces: 6 });
		const row = await t.db.selectFrom('booking').select(['school_id', 'created_by']).where('id', '=', result.bookingId).executeTakeFirstOrThrow();
		expect(row).toEqual({ school_id: contact.schoolId, created_by: world.lead.id });
	});
});

describe('bookPlaces refusals', () => {
	it.each([
		['before booking opens', new Date('2030-02-28T12:00:00Z'), 'booking_not_open', /not opened/],
		// Booking closes at the end of 15 March in UK time (GMT then), which is midnight UTC.
		['after booking closes', new Date('2030-03-16T00:00:00Z'), 'booking_closed', /closed/]
	])('refuses a school contact %s and saves nothing', async (_, now, reason, message) => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world);
		const result = await book(t.db, await makeContact(t.db), sessionId, 2, now);
		expect(result).toEqual({ ok: false, code: 'refused', reason, message: expect.stringMatching(message), field: 'places' });
		expect(await bookingsAt(sessionId)).toEqual([]);
	});

	it.each([
		['a year group the session is not open to', 'secondary', 'Y10'],
		["a year group the school's phase does not teach (a primary school and Year 8)", 'primary', 'Y8']
	] as const)('refuses %s', async (_, phase, yearGroup) => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world, { yearGroups: ['Y6', 'Y7', 'Y8'] });
		const result = await book(t.db, await makeContact(t.db, phase), sessionId, 2, OPEN, { yearGroup });
		expect(result).toEqual({ ok: false, code: 'refused', reason: 'year_group_not_offered', message: expect.any(String), field: 'yearGroup' });
		expect(await bookingsAt(sessionId)).toEqual([]);
	});

	it('answers a school whose phase the session is not for with the same audited 404 as its page', async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world, { yearGroups: ['Y8', 'Y9'] });
		const primary = await makeContact(t.db, 'primary');
		await expect(book(t.db, primary, sessionId, 2, OPEN, { yearGroup: 'Y6' })).rejects.toMatchObject({ status: 404 });
		expect(await auditEvents(t.db, 'access.refused')).toEqual([expect.objectContaining({ actor_id: primary.id, entity_id: sessionId })]);
		expect(await bookingsAt(sessionId)).toEqual([]);
	});

	it.each([
		['no places', 0, { code: 'invalid', errors: { places: expect.stringMatching(/at least 1/) } }],
		['more places than the session has', 6, { code: 'refused', reason: 'over_capacity', message: expect.stringMatching(/5 places in all/), field: 'places' }]
	])('refuses %s', async (_, places, failure) => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world, { capacity: '5' });
		const result = await book(t.db, await makeContact(t.db), sessionId, places);
		expect(result).toEqual({ ok: false, ...failure });
		expect(await bookingsAt(sessionId)).toEqual([]);
	});

	it('holds each school to the per-school cap, saying how many it may still book', async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world, { capacity: '30', schoolCap: '3' });
		const contact = await makeContact(t.db);
		expect(await book(t.db, contact, sessionId, 4)).toEqual({
			ok: false,
			code: 'refused',
			reason: 'over_school_cap',
			message: 'Each school can book up to 3 places here',
			field: 'places'
		});
		booked(await book(t.db, contact, sessionId, 2, minutesIntoWindow(1)));
		const over = await book(t.db, contact, sessionId, 2, minutesIntoWindow(2));
		expect(over).toEqual({
			ok: false,
			code: 'refused',
			reason: 'over_school_cap',
			message: expect.stringMatching(/up to 3 places here; .* already has 2, so you can book 1 more$/),
			field: 'places'
		});
		expect(await bookingsAt(sessionId)).toEqual([expect.objectContaining({ places: 2, status: 'confirmed' })]);
		// Another school has a cap of its own.
		booked(await book(t.db, await makeContact(t.db), sessionId, 3, minutesIntoWindow(3)));
	});

	it('refuses bookings for a cancelled session', async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world);
		expect(await cancelSession(t.db, world.lead, world.programmeId, sessionId)).toEqual({ ok: true });
		const result = await book(t.db, await makeContact(t.db), sessionId, 2);
		expect(result).toEqual({ ok: false, code: 'refused', reason: 'session_not_scheduled', message: expect.stringMatching(/cancelled/), field: 'places' });
		expect(await bookingsAt(sessionId)).toEqual([]);
	});
});

describe('bookings that need approval', () => {
	it('records a request, which the lead approves into confirmed places', async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world, { capacity: '10', requiresApproval: true });
		const contact = await makeContact(t.db);
		const request = booked(await book(t.db, contact, sessionId, 4));
		expect(request).toMatchObject({ status: 'requested', confirmedPlaces: 0 });
		expect(await confirmedPlaces(t.db, sessionId)).toBe(0);
		expect(await decideRequest(t.db, world.lead, request.bookingId, true)).toEqual({ ok: true });
		expect(await storedBooking(t.db, request.bookingId)).toEqual({ status: 'confirmed', places: 4, confirmed_places: 4 });
		expect(await outboxSubjects(t.db, contact.email)).toEqual([
			expect.stringMatching(/^Booking request received: /),
			expect.stringMatching(/^Booking confirmed: /)
		]);
	});

	it("refuses a decision asked from another session's page with a 404, and leaves the request as it was", async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world, { capacity: '10', requiresApproval: true });
		const otherSessionId = await scheduleLeadSession(t.db, world, { capacity: '10', venue: 'Deal Town Hall' });
		const request = booked(await book(t.db, await makeContact(t.db), sessionId, 4));
		await expect(decideRequest(t.db, world.lead, request.bookingId, true, otherSessionId)).rejects.toMatchObject({ status: 404 });
		expect(await storedBooking(t.db, request.bookingId)).toMatchObject({ status: 'requested' });
		expect(await decideRequest(t.db, world.lead, request.bookingId, true, sessionId)).toEqual({ ok: true });
	});

	it("refuses another school's change of places with a 404 before reading the form", async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world, { capacity: '10' });
		const request = booked(await book(t.db, await makeContact(t.db), sessionId, 4));
		await expect(changePlaces(t.db, await makeContact(t.db), request.bookingId, 'not a number')).rejects.toMatchObject({ status: 404 });
	});

	it('waitlists an approved request when the session has filled meanwhile', async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world, { capacity: '5', requiresApproval: true });
		const request = booked(await book(t.db, await makeContact(t.db), sessionId, 2));
		// A lead's own booking needs no approval.
		booked(await book(t.db, world.lead, sessionId, 5, minutesIntoWindow(1), { schoolId: (await makeContact(t.db)).schoolId! }));
		await decideRequest(t.db, world.lead, request.bookingId, true);
		expect(await storedBooking(t.db, request.bookingId)).toEqual({ status: 'waitlisted', places: 2, confirmed_places: 0 });
	});

	it('cancels a declined request and tells the school', async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world, { requiresApproval: true });
		const contact = await makeContact(t.db);
		const request = booked(await book(t.db, contact, sessionId, 4));
		expect(await decideRequest(t.db, world.lead, request.bookingId, false)).toEqual({ ok: true });
		expect(await storedBooking(t.db, request.bookingId)).toEqual({ status: 'cancelled', places: 4, confirmed_places: 0 });
		expect(await outboxSubjects(t.db, contact.email)).toContainEqual(expect.stringMatching(/^Booking request declined: /));
		expect(await decideRequest(t.db, world.lead, request.bookingId, true)).toEqual({
			ok: false,
			code: 'refused',
			reason: 'not_requested',
			message: expect.any(String),
			field: 'decision'
		});
	});

	it('refuses to approve a request once its session is cancelled', async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world, { requiresApproval: true });
		const request = booked(await book(t.db, await makeContact(t.db), sessionId, 4));
		await cancelSession(t.db, world.lead, world.programmeId, sessionId);
		expect(await decideRequest(t.db, world.lead, request.bookingId, true)).toEqual({
			ok: false,
			code: 'refused',
			reason: 'session_not_scheduled',
			message: expect.stringMatching(/cancelled/),
			field: 'decision'
		});
		expect(await storedBooking(t.db, request.bookingId)).toEqual({ status: 'requested', places: 4, confirmed_places: 0 });
	});
});

describe('the waiting list', () => {
	it('gives cancelled places to the schools in the order they asked, and emails them', async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world, { capacity: '4' });
		const first = await makeContact(t.db);
		const holder = booked(await book(t.db, first, sessionId, 4));
		const [b, c, d] = [await makeContact(t.db), await makeContact(t.db), await makeContact(t.db)];
		const queued = [];
		for (const [i, contact] of [b, c, d].entries()) queued.push(booked(await book(t.db, contact, sessionId, 2, minutesIntoWindow(i + 1))));
		expect(await cancelBooking(t.db, first, holder.bookingId, minutesIntoWindow(10))).toEqual({ ok: true });
		const statuses = await Promise.all(queued.map((q) => storedBooking(t.db, q.bookingId)));
		expect(statuses.map((s) => [s.status, s.confirmed_places])).toEqual([
			['confirmed', 2],
			['confirmed', 2],
			['waitlisted', 0]
		]);
		const promoted = /^Places confirmed from the waiting list: /;
		expect(await outboxSubjects(t.db, b.email)).toContainEqual(expect.stringMatching(promoted));
		expect(await outboxSubjects(t.db, c.email)).toContainEqual(expect.stringMatching(promoted));
		expect(await outboxSubjects(t.db, d.email)).not.toContainEqual(expect.stringMatching(promoted));
	});

	it('promotes partly when fewer places are free than the first in the queue wants, and keeps the queue in order', async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world, { capacity: '5' });
		const first = await makeContact(t.db);
		const holder = booked(await book(t.db, first, sessionId, 3));
		booked(await book(t.db, await makeContact(t.db), sessionId, 2, minutesIntoWindow(1)));
		const wantsFive = booked(await book(t.db, await makeContact(t.db), sessionId, 5, minutesIntoWindow(2)));
		const wantsOne = booked(await book(t.db, await makeContact(t.db), sessionId, 1, minutesIntoWindow(3)));
		await cancelBooking(t.db, first, holder.bookingId, minutesIntoWindow(10));
		expect(await storedBooking(t.db, wantsFive.bookingId)).toEqual({ status: 'waitlisted', places: 5, confirmed_places: 3 });
		// The one place it wants would fit nowhere: the school ahead still waits for 2.
		expect(await storedBooking(t.db, wantsOne.bookingId)).toEqual({ status: 'waitlisted', places: 1, confirmed_places: 0 });
		expect(await confirmedPlaces(t.db, sessionId)).toBe(5);
	});

	it('gives places a school hands back by booking fewer to the queue', async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world, { capacity: '5' });
		const first = await makeContact(t.db);
		const holder = booked(await book(t.db, first, sessionId, 5));
		const waiting = booked(await book(t.db, await makeContact(t.db), sessionId, 2, minutesIntoWindow(1)));
		expect(await changePlaces(t.db, first, holder.bookingId, '3', minutesIntoWindow(10))).toEqual({ ok: true });
		expect(await storedBooking(t.db, holder.bookingId)).toEqual({ status: 'confirmed', places: 3, confirmed_places: 3 });
		expect(await storedBooking(t.db, waiting.bookingId)).toEqual({ status: 'confirmed', places: 2, confirmed_places: 2 });
	});

	it('gives a larger capacity to the queue as soon as the lead saves it', async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world, { capacity: '5' });
		booked(await book(t.db, await makeContact(t.db), sessionId, 5));
		const waiting = booked(await book(t.db, await makeContact(t.db), sessionId, 3, minutesIntoWindow(1)));
		const saved = await updateSessionDetails(t.db, world.lead, world.programmeId, sessionId, sessionValues({ capacity: '7' }), SCHEDULED_AT);
		expect(saved).toEqual({ ok: true, ids: [sessionId] });
		expect(await storedBooking(t.db, waiting.bookingId)).toEqual({ status: 'waitlisted', places: 3, confirmed_places: 2 });
		await updateSessionDetails(t.db, world.lead, world.programmeId, sessionId, sessionValues({ capacity: '8' }), SCHEDULED_AT);
		expect(await storedBooking(t.db, waiting.bookingId)).toEqual({ status: 'confirmed', places: 3, confirmed_places: 3 });
	});

	it('refuses a capacity below the places already confirmed, with a field error', async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world, { capacity: '5' });
		booked(await book(t.db, await makeContact(t.db), sessionId, 4));
		const saved = await updateSessionDetails(t.db, world.lead, world.programmeId, sessionId, sessionValues({ capacity: '3' }), SCHEDULED_AT);
		expect(saved).toEqual({
			ok: false,
			code: 'refused',
			reason: 'below_confirmed',
			message: expect.stringMatching(/^4 places are already confirmed/),
			field: 'capacity'
		});
		const row = await t.db.selectFrom('programme_session').select('capacity').where('id', '=', sessionId).executeTakeFirstOrThrow();
		expect(row.capacity).toBe(5);
	});
});

describe('getBooking', () => {
	it("answers another school's contact with a 404 and audits the refusal", async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world);
		const owner = await makeContact(t.db);
		const { bookingId } = booked(await book(t.db, owner, sessionId, 2));
		expect(await getBooking(t.db, owner, bookingId)).toMatchObject({ id: bookingId, school_id: owner.schoolId });
		const stranger = await makeContact(t.db);
		await expect(getBooking(t.db, stranger, bookingId)).rejects.toMatchObject({ status: 404 });
		const refusals = await t.db.selectFrom('audit_event').select(['actor_id', 'entity_type', 'entity_id']).where('action', '=', 'access.refused').execute();
		expect(refusals).toEqual([{ actor_id: stranger.id, entity_type: 'booking', entity_id: bookingId }]);
	});
});
