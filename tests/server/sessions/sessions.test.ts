import { describe, expect, it, vi } from 'vitest';
import { seriesDates, validateSession } from '../../../src/lib/server/sessions/sessions.schema';
import { cancelSession, completeSession, scheduleSessions, updateSessionDetails } from '../../../src/lib/server/sessions/sessions.service';
import { londonParts } from '../../../src/lib/server/time';
import { useTestDatabase } from '../../support/database';
import {
	book,
	makeContact,
	createLedProgramme,
	scheduleLeadSession,
	minutesIntoWindow,
	outboxSubjects,
	SCHEDULED_AT,
	sessionValues,
	storedBooking
} from '../../support/booking-world';
import { makeActor } from '../../support/factories';

const t = useTestDatabase();

// Without SMTP every email stays in the outbox with its body, where the tests can read it.
vi.stubEnv('SMTP_URL', '');

describe('seriesDates', () => {
	it('gives every weekday of the week from a Monday', () => {
		expect(seriesDates('2030-03-18', 'weekdays')).toEqual(['2030-03-18', '2030-03-19', '2030-03-20', '2030-03-21', '2030-03-22']);
	});

	it('gives the rest of the week from a Wednesday', () => {
		expect(seriesDates('2030-03-20', 'weekdays')).toEqual(['2030-03-20', '2030-03-21', '2030-03-22']);
	});

	it('repeats weekly until a date, including that date', () => {
		expect(seriesDates('2030-03-20', 'weekly', '2030-04-10')).toEqual(['2030-03-20', '2030-03-27', '2030-04-03', '2030-04-10']);
		expect(seriesDates('2030-03-20', 'weekly', '2030-04-09')).toEqual(['2030-03-20', '2030-03-27', '2030-04-03']);
	});

	it('repeats weekly a number of times, across a month and a year end', () => {
		expect(seriesDates('2030-12-18', 'weekly', undefined, 3)).toEqual(['2030-12-18', '2030-12-25', '2031-01-01']);
	});

	it('gives the one date of a session that does not repeat', () => {
		expect(seriesDates('2030-03-20', 'none')).toEqual(['2030-03-20']);
	});
});

describe('validateSession', () => {
	const options = { programmeYearGroups: ['Y5', 'Y6', 'Y7', 'Y8'] as const, carousel: false, now: SCHEDULED_AT, series: true };

	it('accepts a complete form and works out the times in UK time', () => {
		const { errors, input } = validateSession(sessionValues(), options);
		expect(errors).toEqual({});
		expect(input.occurrences).toEqual([
			{
				startsAt: new Date('2030-03-20T09:30:00Z'),
				endsAt: new Date('2030-03-20T15:00:00Z'),
				bookingOpensAt: new Date('2030-03-01T00:00:00Z'),
				bookingClosesAt: new Date('2030-03-16T00:00:00Z')
			}
		]);
	});

	it.each([
		['an end before the start', { startTime: '15:00', endTime: '09:30' }, 'endTime'],
		['a date in the past', { date: '2029-12-03', bookingOpens: '2029-11-01', bookingCloses: '2029-11-20' }, 'date'],
		['fewer than no places', { capacity: '-1' }, 'capacity'],
		['places that are not a number', { capacity: 'thirty' }, 'capacity'],
		['booking closing before it opens', { bookingOpens: '2030-03-10', bookingCloses: '2030-03-05' }, 'bookingCloses'],
		['booking opening after the session', { bookingOpens: '2030-03-21', bookingCloses: '2030-03-22' }, 'bookingCloses'],
		["year groups outside the programme's", { yearGroups: ['Y7', 'Y10'] }, 'yearGroups']
	])('refuses %s with a field error', (_, overrides, field) => {
		const { errors, input } = validateSession(sessionValues(overrides), options);
		expect(errors).toEqual({ [field]: expect.any(String) });
		expect(input.occurrences).toEqual([]);
	});
});

describe('scheduleSessions', () => {
	it('schedules a weekly series at the same UK time either side of the October clock change', async () => {
		const world = await createLedProgramme(t.db);
		// Tuesdays from 19 October 2027; the clocks go back on Sunday 31 October.
		const values = sessionValues({
			date: '2027-10-19',
			startTime: '09:30',
			endTime: '12:00',
			bookingOpens: '2027-09-01',
			bookingCloses: '2027-10-15',
			repeat: 'weekly',
			repeatCount: '4',
			// 26 October is in the half-term holiday: keep every date, as the lead confirmed.
			skipHolidays: false,
			confirmHoliday: true
		});
		const result = await scheduleSessions(t.db, world.lead, world.programmeId, values, new Date('2027-08-02T09:00:00Z'));
		expect(result).toMatchObject({ ok: true, ids: [expect.any(String), expect.any(String), expect.any(String), expect.any(String)] });
		const sessions = await t.db
			.selectFrom('programme_session')
			.select(['starts_at', 'ends_at', 'booking_closes_at'])
			.where('programme_id', '=', world.programmeId)
			.orderBy('starts_at')
			.execute();
		expect(sessions.map((s) => s.starts_at.toISOString())).toEqual([
			'2027-10-19T08:30:00.000Z', // BST
			'2027-10-26T08:30:00.000Z',
			'2027-11-02T09:30:00.000Z', // GMT
			'2027-11-09T09:30:00.000Z'
		]);
		expect(sessions.map((s) => [londonParts(s.starts_at).time, londonParts(s.ends_at).time])).toEqual(Array(4).fill(['09:30', '12:00']));
		// Each session's booking closes the same number of days before it.
		expect(sessions.map((s) => londonParts(new Date(s.booking_closes_at.getTime() - 1)).date)).toEqual([
			'2027-10-15',
			'2027-10-22',
			'2027-10-29',
			'2027-11-05'
		]);
	});

	it('answers a lead who does not lead the programme with a 404 and schedules nothing', async () => {
		const world = await createLedProgramme(t.db);
		const otherLead = await makeActor(t.db, { role: 'lead' });
		await expect(scheduleSessions(t.db, otherLead, world.programmeId, sessionValues(), SCHEDULED_AT)).rejects.toMatchObject({ status: 404 });
		const sessions = await t.db.selectFrom('programme_session').select('id').where('programme_id', '=', world.programmeId).execute();
		expect(sessions).toEqual([]);
		const refusals = await t.db.selectFrom('audit_event').select(['actor_id', 'entity_id']).where('action', '=', 'access.refused').execute();
		expect(refusals).toEqual([{ actor_id: otherLead.id, entity_id: world.programmeId }]);
	});
});

describe('cancelSession', () => {
	it('keeps the bookings as they were and emails every school that booked', async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world, { capacity: '5' });
		const [first, second] = [await makeContact(t.db), await makeContact(t.db)];
		const held = await book(t.db, first, sessionId, 5);
		const waiting = await book(t.db, second, sessionId, 2, minutesIntoWindow(1));
		if (!held.ok || !waiting.ok) throw new Error('the bookings were refused');

		expect(await cancelSession(t.db, world.lead, world.programmeId, sessionId)).toEqual({ ok: true });
		const session = await t.db.selectFrom('programme_session').select('status').where('id', '=', sessionId).executeTakeFirstOrThrow();
		expect(session.status).toBe('cancelled');
		expect(await storedBooking(t.db, held.bookingId)).toEqual({ status: 'confirmed', places: 5, confirmed_places: 5 });
		expect(await storedBooking(t.db, waiting.bookingId)).toEqual({ status: 'waitlisted', places: 2, confirmed_places: 0 });
		for (const contact of [first, second]) {
			expect(await outboxSubjects(t.db, contact.email)).toContainEqual(expect.stringMatching(/^Session cancelled: /));
		}
		expect(await cancelSession(t.db, world.lead, world.programmeId, sessionId)).toEqual({
			ok: false,
			code: 'refused',
			reason: 'not_scheduled',
			message: expect.any(String)
		});
	});
});

describe('completeSession', () => {
	it('refuses a session that has not started, and completes it once it has', async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world);
		const early = await completeSession(t.db, world.lead, world.programmeId, sessionId, SCHEDULED_AT);
		expect(early).toEqual({ ok: false, code: 'refused', reason: 'not_started', message: expect.stringMatching(/once it has started/) });
		const later = await completeSession(t.db, world.lead, world.programmeId, sessionId, new Date('2030-03-20T10:00:00Z'));
		expect(later).toEqual({ ok: true });
		const session = await t.db.selectFrom('programme_session').select('status').where('id', '=', sessionId).executeTakeFirstOrThrow();
		expect(session.status).toBe('completed');
	});
});

describe('updateSessionDetails', () => {
	it('answers a session id of another programme with a 404 and changes nothing', async () => {
		const mine = await createLedProgramme(t.db);
		const theirs = await createLedProgramme(t.db);
		const theirSession = await scheduleLeadSession(t.db, theirs);
		// The address names the lead's own programme; the session belongs to another.
		await expect(updateSessionDetails(t.db, mine.lead, mine.programmeId, theirSession, sessionValues({ venue: 'Moved' }), SCHEDULED_AT)).rejects.toMatchObject({
			status: 404
		});
		const venue = await t.db.selectFrom('programme_session').select('venue').where('id', '=', theirSession).executeTakeFirstOrThrow();
		expect(venue.venue).not.toBe('Moved');
	});
});
