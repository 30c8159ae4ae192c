import { describe, expect, it } from 'vitest';
import { scheduleSessions, updateSessionDetails } from '../../../src/lib/server/sessions/sessions.service';
import { lastSchedulableDay, validateSession } from '../../../src/lib/server/sessions/sessions.schema';
import { formatBookingCloses } from '../../../src/lib/format';
import { useTestDatabase } from '../../support/database';
import { createLedProgramme, scheduleLeadSession, SCHEDULED_AT, sessionValues } from '../../support/booking-world';

const t = useTestDatabase();
const options = { programmeYearGroups: ['Y5', 'Y6', 'Y7', 'Y8'] as const, carousel: false, now: SCHEDULED_AT, series: true };

describe('the checks a lead expects of a session form', () => {
	it.each([
		['no places', { capacity: '0' }, 'capacity', 'A session needs at least 1 place'],
		[
			'a cap per school above the places',
			{ capacity: '30', schoolCap: '40' },
			'schoolCap',
			'The cap per school (40) cannot be more than the places at the session (30)'
		],
		['an end date and a number of sessions together', { repeat: 'weekly', repeatUntil: '2030-05-01', repeatCount: '4' }, 'repeatCount', /not both/],
		['a date past the end of next academic year', { date: '2031-09-03', bookingOpens: '2031-08-01', bookingCloses: '2031-08-20' }, 'date', /31 August 2031/],
		['a series running past the end of next academic year', { repeat: 'weekly', repeatCount: '52', date: '2031-06-04' }, 'repeatCount', /31 August 2031/]
	] as const)('refuses %s with a message beside the field', (_, overrides, field, message) => {
		const { errors, input } = validateSession(sessionValues(overrides), options);
		expect(errors).toEqual({ [field]: typeof message === 'string' ? message : expect.stringMatching(message) });
		expect(input.occurrences).toEqual([]);
	});

	it('lets sessions run to 31 August at the end of next academic year, counted from today in the UK', () => {
		expect(lastSchedulableDay(new Date('2030-01-07T09:00:00Z'))).toBe('2031-08-31');
		expect(lastSchedulableDay(new Date('2030-09-01T09:00:00Z'))).toBe('2032-08-31');
		expect(lastSchedulableDay(new Date('2030-08-31T23:30:00Z'))).toBe('2032-08-31'); // already 1 September in the UK (BST)
		expect(validateSession(sessionValues({ date: '2031-08-29', bookingOpens: '2031-08-01', bookingCloses: '2031-08-20' }), options).errors).toEqual({});
	});

	it('refuses a second session of the programme at the same time and venue, keeping nothing', async () => {
		const world = await createLedProgramme(t.db);
		await scheduleLeadSession(t.db, world);
		const again = await scheduleSessions(t.db, world.lead, world.programmeId, sessionValues({ venue: ' dover town hall ' }), SCHEDULED_AT);
		expect(again).toEqual({
			ok: false,
			code: 'invalid',
			errors: { date: expect.stringMatching(/^This programme already has a session at Dover Town Hall on Wed, 20 Mar 2030 at 09:30/) }
		});
		// Elsewhere at the same time is a different session; so is saving a session unchanged.
		const elsewhere = await scheduleSessions(t.db, world.lead, world.programmeId, sessionValues({ venue: 'Deal Town Hall' }), SCHEDULED_AT);
		expect(elsewhere).toMatchObject({ ok: true });
		const id = (elsewhere as { ids: string[] }).ids[0]!;
		expect(
			await updateSessionDetails(t.db, world.lead, world.programmeId, id, sessionValues({ venue: 'Deal Town Hall', capacity: '40' }), SCHEDULED_AT)
		).toMatchObject({ ok: true });
		expect(await updateSessionDetails(t.db, world.lead, world.programmeId, id, sessionValues(), SCHEDULED_AT)).toMatchObject({
			ok: false,
			errors: { date: expect.any(String) }
		});
	});
});

describe('formatBookingCloses', () => {
	it('reads a close at midnight as the last day to book, and a close at the start as that time', () => {
		expect(formatBookingCloses(new Date('2027-01-16T00:00:00Z'))).toBe('Fri, 15 Jan 2027 (the last day to book)');
		expect(formatBookingCloses(new Date('2027-06-16T23:00:00Z'))).toBe('Wed, 16 Jun 2027 (the last day to book)');
		expect(formatBookingCloses(new Date('2027-01-20T09:30:00Z'))).toBe('Wed, 20 Jan 2027 at 09:30, as it starts');
	});
});
