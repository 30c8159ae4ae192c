import { describe, expect, it } from 'vitest';
import { copyWeek, previewWeekCopy, saveStations } from '../../../src/lib/server/sessions/carousel.service';
import { scheduleSessions } from '../../../src/lib/server/sessions/sessions.service';
import { londonParts } from '../../../src/lib/server/time';
import { useTestDatabase } from '../../support/database';
import { createLedProgramme, sessionValues, type ProgrammeWorld } from '../../support/booking-world';
import { auditEvents, makeActor, makeBooking, makeSchool, makeSession } from '../../support/factories';

const t = useTestDatabase();

const NOW = new Date('2026-12-02T10:00:00Z');
const STATIONS = ['Fire safety', 'Water safety', 'Road safety', 'Rail safety', 'First aid', 'Online safety', 'Anti-social behaviour', 'Personal safety'].map(
	(name) => ({ name, theme: `${name} theme`, places: '16' })
);

/** A Safety in Action-style week: two sessions a day, Monday to Friday from `monday`, each with the eight workstations. */
async function carouselWeek(monday: string, scheduledAt: Date): Promise<ProgrammeWorld & { sessionIds: string[] }> {
	const world = await createLedProgramme(t.db, { shape: 'carousel', yearGroups: ['Y6'] });
	const sessionIds: string[] = [];
	for (const [startTime, endTime] of [
		['09:15', '11:45'],
		['12:45', '15:15']
	] as const) {
		const result = await scheduleSessions(
			t.db,
			world.lead,
			world.programmeId,
			sessionValues({
				date: monday,
				startTime,
				endTime,
				venue: 'Betteshanger Country Park',
				capacity: '64',
				yearGroups: ['Y6'],
				schoolCap: '32',
				bookingOpens: '2026-01-05',
				bookingCloses: monday,
				rotationMinutes: '15',
				repeat: 'weekdays',
				skipHolidays: false,
				confirmHoliday: true
			}),
			scheduledAt
		);
		if (!result.ok) throw new Error(JSON.stringify(result));
		sessionIds.push(...result.ids);
	}
	for (const id of sessionIds) {
		const saved = await saveStations(t.db, world.lead, world.programmeId, id, STATIONS, '15');
		if (!saved.ok) throw new Error(JSON.stringify(saved));
	}
	return { ...world, sessionIds };
}

async function programmeSessions(programmeId: string) {
	return t.db
		.selectFrom('programme_session')
		.select(['id', 'starts_at', 'ends_at', 'rotation_minutes', 'capacity', 'school_cap', 'venue'])
		.where('programme_id', '=', programmeId)
		.orderBy('starts_at')
		.execute();
}

async function stationCount(programmeId: string) {
	const row = await t.db
		.selectFrom('station')
		.innerJoin('programme_session', 'programme_session.id', 'station.session_id')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('programme_session.programme_id', '=', programmeId)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

describe("copying last year's Safety in Action Week", () => {
	it('schedules the ten sessions 52 weeks on, same weekdays and times, with all eight workstations and the rotation length, and audits it', async () => {
		const world = await carouselWeek('2026-06-15', new Date('2026-06-01T10:00:00Z'));
		const school = await makeSchool(t.db, { phase: 'primary' });
		await makeBooking(t.db, { session_id: world.sessionIds[0]!, school_id: school.id, year_group: 'Y6', places: 30, created_by: world.lead.id });

		const result = await copyWeek(t.db, world.lead, world.programmeId, '2026-06-15', NOW);
		expect(result).toMatchObject({ ok: true, plan: { from: '2026-06-15', to: '2027-06-14', weeks: 52 } });
		if (!result.ok) return;
		expect(result.ids).toHaveLength(10);

		const copies = (await programmeSessions(world.programmeId)).filter((s) => result.ids.includes(s.id));
		expect(copies.map((s) => `${londonParts(s.starts_at).date} ${londonParts(s.starts_at).time}-${londonParts(s.ends_at).time}`)).toEqual([
			'2027-06-14 09:15-11:45',
			'2027-06-14 12:45-15:15',
			'2027-06-15 09:15-11:45',
			'2027-06-15 12:45-15:15',
			'2027-06-16 09:15-11:45',
			'2027-06-16 12:45-15:15',
			'2027-06-17 09:15-11:45',
			'2027-06-17 12:45-15:15',
			'2027-06-18 09:15-11:45',
			'2027-06-18 12:45-15:15'
		]);
		expect(copies.map((s) => londonParts(s.starts_at).weekday)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
		expect(copies.every((s) => s.rotation_minutes === 15 && s.capacity === 64 && s.school_cap === 32 && s.venue === 'Betteshanger Country Park')).toBe(true);
		expect(await stationCount(world.programmeId)).toBe(160);
		const stations = await t.db.selectFrom('station').select(['name', 'places']).where('session_id', '=', result.ids[9]!).orderBy('position').execute();
		expect(stations.map((s) => s.name)).toEqual(STATIONS.map((s) => s.name));
		// Schools book the new week themselves: no booking is copied.
		expect(await t.db.selectFrom('booking').select('id').where('session_id', 'in', result.ids).execute()).toEqual([]);
		const [event] = await auditEvents(t.db, 'session.week_copied');
		expect(event).toMatchObject({ actor_id: world.lead.id, entity_type: 'programme', entity_id: world.programmeId });
		expect(event?.detail).toMatchObject({ from: '2026-06-15', to: '2027-06-14', weeks: 52, stations: 80 });
	});

	it('moves 53 weeks when 52 would land in the holidays: Monday 4 January 2027 goes to 10 January 2028, not the 3rd', async () => {
		const world = await carouselWeek('2027-01-04', NOW);
		const preview = await previewWeekCopy(t.db, world.lead, world.programmeId, undefined, NOW);
		expect(preview).toMatchObject({ weeks: ['2027-01-04'], plan: { from: '2027-01-04', to: '2028-01-10', weeks: 53 }, problem: undefined });
		const result = await copyWeek(t.db, world.lead, world.programmeId, '2027-01-04', NOW);
		expect(result).toMatchObject({ ok: true, plan: { to: '2028-01-10', weeks: 53 } });
		const dates = (await programmeSessions(world.programmeId)).map((s) => londonParts(s.starts_at).date);
		expect(dates.slice(10, 12)).toEqual(['2028-01-10', '2028-01-10']);
	});

	it('refuses when the new week already has a session of the programme, and writes nothing', async () => {
		const world = await carouselWeek('2026-06-15', new Date('2026-06-01T10:00:00Z'));
		await makeSession(t.db, { programme_id: world.programmeId, starts_at: new Date('2027-06-16T08:15:00Z'), ends_at: new Date('2027-06-16T10:45:00Z') });
		const sessionsBefore = (await programmeSessions(world.programmeId)).length;
		const stationsBefore = await stationCount(world.programmeId);

		const preview = await previewWeekCopy(t.db, world.lead, world.programmeId, '2026-06-15', NOW);
		expect(preview.problem).toMatch(/already has 1 session in the week of .*14 Jun 2027: nothing was copied/);
		const result = await copyWeek(t.db, world.lead, world.programmeId, '2026-06-15', NOW);
		expect(result).toMatchObject({ ok: false, code: 'refused', reason: 'already_scheduled', field: 'from' });
		expect(await programmeSessions(world.programmeId)).toHaveLength(sessionsBefore);
		expect(await stationCount(world.programmeId)).toBe(stationsBefore);
		expect(await auditEvents(t.db, 'session.week_copied')).toEqual([]);
	});

	it('refuses a second copy of the same week', async () => {
		const world = await carouselWeek('2026-06-15', new Date('2026-06-01T10:00:00Z'));
		expect((await copyWeek(t.db, world.lead, world.programmeId, '2026-06-15', NOW)).ok).toBe(true);
		expect(await copyWeek(t.db, world.lead, world.programmeId, '2026-06-15', NOW)).toMatchObject({ ok: false, reason: 'already_scheduled' });
		expect(await programmeSessions(world.programmeId)).toHaveLength(20);
	});

	it('refuses a week whose copy would be in the past', async () => {
		const world = await carouselWeek('2026-06-15', new Date('2026-06-01T10:00:00Z'));
		const result = await copyWeek(t.db, world.lead, world.programmeId, '2026-06-15', new Date('2027-07-01T10:00:00Z'));
		expect(result).toMatchObject({ ok: false, reason: 'in_past' });
		expect(await programmeSessions(world.programmeId)).toHaveLength(10);
	});

	it('answers a lead of another programme as if it were not there', async () => {
		const world = await carouselWeek('2026-06-15', new Date('2026-06-01T10:00:00Z'));
		const other = await makeActor(t.db, { role: 'lead' });
		await expect(previewWeekCopy(t.db, other, world.programmeId, undefined, NOW)).rejects.toMatchObject({ status: 404 });
		await expect(copyWeek(t.db, other, world.programmeId, '2026-06-15', NOW)).rejects.toMatchObject({ status: 404 });
		expect(await programmeSessions(world.programmeId)).toHaveLength(10);
	});
});
