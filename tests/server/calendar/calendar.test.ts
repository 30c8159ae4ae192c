import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../../src/lib/server/auth/tokens';
import { bookingCalendar, createFeedLink, feedCalendar, getFeedStatus, revokeFeed } from '../../../src/lib/server/calendar/calendar.service';
import { useTestDatabase } from '../../support/database';
import { auditEvents, makeActor, makeBooking, makeProgramme, makeSession } from '../../support/factories';

const t = useTestDatabase();
const ORIGIN = 'https://tracker.example.org';
const DAY = 86_400_000;
let savedOrigin: string | undefined;
beforeAll(() => {
	savedOrigin = process.env.ORIGIN;
	process.env.ORIGIN = ORIGIN;
});
afterAll(() => {
	if (savedOrigin === undefined) delete process.env.ORIGIN;
	else process.env.ORIGIN = savedOrigin;
});

/** iCalendar folds lines longer than 75 octets; join them back before reading. */
const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, '');
const uids = (ics: string) => [...unfold(ics).matchAll(/^UID:(.+)$/gm)].map((m) => m[1]);
const uid = (bookingId: string) => `booking-${bookingId}@youth-programmes-tracker`;
/** The calendar file of a booking that has one, failing the test otherwise. */
const icsOf = (result: Awaited<ReturnType<typeof bookingCalendar>>) => {
	if (!result.ok) throw new Error(`No calendar file: ${JSON.stringify(result)}`);
	return result.ics;
};
const tokenOf = (url: string) => {
	const match = url.match(/\/calendar\/([a-z2-7]+)\.ics$/);
	if (!match?.[1]) throw new Error(`Not a feed address: ${url}`);
	return match[1];
};

describe('bookingCalendar', () => {
	it('gives one event with the booking UID, the start as a UTC instant and the venue', async () => {
		const contact = await makeActor(t.db, { role: 'school' });
		// 09:30 in London in summer time is 08:30 UTC.
		const session = await makeSession(t.db, { starts_at: new Date('2030-06-12T08:30:00Z'), venue: 'Dover Town Hall, Biggin Street' });
		const booking = await makeBooking(t.db, { session_id: session.id, school_id: contact.schoolId!, places: 30 });

		const ics = unfold(icsOf(await bookingCalendar(t.db, contact, booking.id)));

		expect(ics.match(/^BEGIN:VEVENT/gm)).toHaveLength(1);
		expect(uids(ics)).toEqual([uid(booking.id)]);
		expect(ics).toMatch(/^DTSTART:20300612T083000Z\r$/m);
		expect(ics).toMatch(/^DTEND:20300612T103000Z\r$/m);
		expect(ics).toMatch(/^LOCATION:Dover Town Hall\\, Biggin Street\r$/m);
		expect(ics).toMatch(/^SUMMARY:.+ \(30 places\)\r$/m);
		expect(ics).toContain(`${ORIGIN}/bookings/${booking.id}`);
		expect(ics).toContain('Year group: Year 8');
	});

	it('escapes commas, semicolons and line breaks in names, so no name can add lines of its own', async () => {
		const contact = await makeActor(t.db, { role: 'school' });
		const programme = await makeProgramme(t.db, { name: 'Safety; Day, 2030\nEND:VCALENDAR' });
		const booking = await makeBooking(t.db, { school_id: contact.schoolId!, session_id: (await makeSession(t.db, { programme_id: programme.id })).id });

		const ics = unfold(icsOf(await bookingCalendar(t.db, contact, booking.id)));

		expect(ics.match(/^END:VCALENDAR/gm)).toHaveLength(1);
		expect(ics).toMatch(/^NAME:Safety\\; Day\\, 2030\\nEND:VCALENDAR\r$/m);
		expect(ics).toMatch(/^SUMMARY:Safety\\; Day\\, 2030\\nEND:VCALENDAR \(10 places\)\r$/m);
	});

	it('refuses another school’s booking with an audited 404', async () => {
		const contact = await makeActor(t.db, { role: 'school' });
		const theirs = await makeBooking(t.db);

		await expect(bookingCalendar(t.db, contact, theirs.id)).rejects.toMatchObject({ status: 404 });
		expect(await auditEvents(t.db, 'access.refused')).toEqual([expect.objectContaining({ actor_id: contact.id, entity_id: theirs.id })]);
	});

	it('refuses, saying why, a calendar file for a booking without confirmed places or at a cancelled session', async () => {
		const contact = await makeActor(t.db, { role: 'school' });
		const waiting = await makeBooking(t.db, { school_id: contact.schoolId!, status: 'waitlisted', confirmed_places: 0 });
		const cancelledSession = await makeSession(t.db, { status: 'cancelled' });
		const atCancelled = await makeBooking(t.db, { school_id: contact.schoolId!, session_id: cancelledSession.id });

		expect(await bookingCalendar(t.db, contact, waiting.id)).toEqual({
			ok: false,
			code: 'refused',
			reason: 'no_confirmed_places',
			message: 'This booking has no confirmed places yet, so there is nothing to add to a calendar'
		});
		expect(await bookingCalendar(t.db, contact, atCancelled.id)).toEqual({
			ok: false,
			code: 'refused',
			reason: 'session_cancelled',
			message: 'This session has been cancelled, so there is nothing to add to a calendar'
		});
		// The actor may see the booking itself: nothing here is an access refusal to audit.
		expect(await auditEvents(t.db, 'access.refused')).toEqual([]);
	});
});

describe('school calendar feed', () => {
	it('lists only the school’s bookings that hold places, from 90 days ago, with cancelled sessions marked', async () => {
		const contact = await makeActor(t.db, { role: 'school' });
		const school_id = contact.schoolId!;
		const confirmed = await makeBooking(t.db, { school_id });
		const partly = await makeBooking(t.db, { school_id, status: 'waitlisted', places: 10, confirmed_places: 4 });
		const recent = await makeBooking(t.db, { school_id, session_id: (await makeSession(t.db, { starts_at: new Date(Date.now() - 80 * DAY) })).id });
		const cancelledSession = await makeSession(t.db, { status: 'cancelled' });
		const atCancelled = await makeBooking(t.db, { school_id, session_id: cancelledSession.id });
		await makeBooking(t.db, { school_id, status: 'cancelled', cancelled_at: new Date() });
		await makeBooking(t.db, { school_id, status: 'requested' });
		await makeBooking(t.db, { school_id, status: 'waitlisted', confirmed_places: 0 });
		await makeBooking(t.db, { school_id, session_id: (await makeSession(t.db, { starts_at: new Date(Date.now() - 100 * DAY) })).id });
		const otherSchools = await makeBooking(t.db);

		const ics = unfold((await feedCalendar(t.db, tokenOf(await createFeedLink(t.db, contact))))!);

		expect(uids(ics).sort()).toEqual([confirmed, partly, recent, atCancelled].map((b) => uid(b.id)).sort());
		expect(ics).not.toContain(otherSchools.id);
		expect(ics).toContain('Places confirmed: 4 of 10 (6 on the waiting list)');
		const cancelledEvent = ics.split('BEGIN:VEVENT').find((event) => event.includes(atCancelled.id))!;
		expect(cancelledEvent).toMatch(/^STATUS:CANCELLED\r$/m);
	});

	it('gives the address once and stores only the hash of its secret', async () => {
		const contact = await makeActor(t.db, { role: 'school' });
		expect(await getFeedStatus(t.db, contact)).toEqual({ exists: false });

		const url = await createFeedLink(t.db, contact);

		expect(url).toMatch(new RegExp(`^${ORIGIN}/calendar/[a-z2-7]{32}\\.ics$`));
		const token = tokenOf(url);
		const stored = await t.db.selectFrom('school_calendar_feed').selectAll().execute();
		expect(stored).toEqual([expect.objectContaining({ school_id: contact.schoolId, token_hash: hashToken(token) })]);
		expect(await getFeedStatus(t.db, contact)).toEqual({ exists: true, createdAt: expect.any(Date) });
	});

	it('stops the old link working when a new one is made', async () => {
		const contact = await makeActor(t.db, { role: 'school' });
		const first = tokenOf(await createFeedLink(t.db, contact));
		expect(await feedCalendar(t.db, first)).toContain('BEGIN:VCALENDAR');

		const second = tokenOf(await createFeedLink(t.db, contact));

		expect(await feedCalendar(t.db, first)).toBeUndefined();
		expect(await feedCalendar(t.db, second)).toContain('BEGIN:VCALENDAR');
		const created = await auditEvents(t.db, 'calendar_feed.created');
		expect(created.map((e) => e.detail)).toEqual([{ replaced: false }, { replaced: true }]);
	});

	it('stops the link working when revoked', async () => {
		const contact = await makeActor(t.db, { role: 'school' });
		const token = tokenOf(await createFeedLink(t.db, contact));

		expect(await revokeFeed(t.db, contact)).toBe(true);

		expect(await feedCalendar(t.db, token)).toBeUndefined();
		expect(await getFeedStatus(t.db, contact)).toEqual({ exists: false });
		expect(await revokeFeed(t.db, contact)).toBe(false);
		expect(await auditEvents(t.db, 'calendar_feed.revoked')).toEqual([
			expect.objectContaining({ actor_id: contact.id, entity_type: 'calendar_feed', entity_id: contact.schoolId })
		]);
	});

	it('never records the secret or its hash in the audit log', async () => {
		const contact = await makeActor(t.db, { role: 'school' });
		const tokens = [tokenOf(await createFeedLink(t.db, contact)), tokenOf(await createFeedLink(t.db, contact))];
		await revokeFeed(t.db, contact);

		const recorded = JSON.stringify(await auditEvents(t.db));
		expect(recorded).toContain('calendar_feed.created');
		for (const token of tokens) {
			expect(recorded).not.toContain(token);
			expect(recorded).not.toContain(hashToken(token));
		}
	});

	it('answers unknown, malformed and inactive schools’ secrets with nothing', async () => {
		const contact = await makeActor(t.db, { role: 'school' });
		const token = tokenOf(await createFeedLink(t.db, contact));
		expect(await feedCalendar(t.db, 'a'.repeat(32))).toBeUndefined();
		expect(await feedCalendar(t.db, `${token}x`)).toBeUndefined();
		expect(await feedCalendar(t.db, '')).toBeUndefined();

		await t.db.updateTable('school').set({ active: false }).where('id', '=', contact.schoolId!).execute();

		expect(await feedCalendar(t.db, token)).toBeUndefined();
	});

	it('stops a feed when the contact who made it is deactivated', async () => {
		const contact = await makeActor(t.db, { role: 'school' });
		const token = tokenOf(await createFeedLink(t.db, contact));
		expect(await feedCalendar(t.db, token)).toContain('BEGIN:VCALENDAR');

		await t.db.updateTable('app_user').set({ status: 'deactivated' }).where('id', '=', contact.id).execute();

		expect(await feedCalendar(t.db, token)).toBeUndefined();
	});

	it('lets only school contacts see or change a feed', async () => {
		const lead = await makeActor(t.db, { role: 'lead' });
		const admin = await makeActor(t.db, { role: 'admin' });
		for (const actor of [lead, admin]) {
			await expect(getFeedStatus(t.db, actor)).rejects.toMatchObject({ status: 404 });
			await expect(createFeedLink(t.db, actor)).rejects.toMatchObject({ status: 404 });
			await expect(revokeFeed(t.db, actor)).rejects.toMatchObject({ status: 404 });
		}
		expect(await t.db.selectFrom('school_calendar_feed').selectAll().execute()).toEqual([]);
	});
});
