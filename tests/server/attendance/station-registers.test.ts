import { describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { saveHeadcounts } from '../../../src/lib/server/attendance/attendance.service';
import { countField } from '../../../src/lib/server/attendance/attendance.schema';
import { getStationRegister, getStationSummary, saveStationHeadcounts } from '../../../src/lib/server/attendance/station-registers.service';
import type { DB } from '../../../src/lib/server/db/schema';
import { saveStations } from '../../../src/lib/server/sessions/carousel.service';
import { makeContact, createLedProgramme } from '../../support/booking-world';
import { makeCarouselSession } from '../../support/carousel-world';
import { useTestDatabase } from '../../support/database';
import { BEFORE_START, makeHeadcountSession, STARTED } from '../../support/attendance-world';
import { auditEvents, makeSchool } from '../../support/factories';

const t = useTestDatabase();

const stored = (db: Kysely<DB>, sessionId: string) =>
	db.selectFrom('station_headcount').select(['station_id', 'school_id', 'year_group', 'count']).where('session_id', '=', sessionId).orderBy('count').execute();

describe('a workstation’s register', () => {
	it('lists each school and year group holding places with its confirmed places, and the groups due there', async () => {
		const world = await makeCarouselSession(t.db);

		const register = await getStationRegister(t.db, world.lead, world.sessionId, world.stationIds[0]!);

		expect(register.station.name).toBe('Fire safety');
		expect(register.cells.map((c) => [c.school_name, c.year_group, c.places, c.count])).toEqual([
			['Aardvark Primary', 'Y6', 20, null],
			['Zebra Primary', 'Y6', 12, null]
		]);
		// Every group comes through every workstation once: all 32 pupils, in groups that fit.
		const groups = register.visits.flatMap((v) => v.groups);
		expect(groups.reduce((sum, g) => sum + g.size, 0)).toBe(32);
		expect(groups.every((g) => g.size <= 16)).toBe(true);
	});

	it('saves one station’s counts and leaves the other station’s alone', async () => {
		const world = await makeCarouselSession(t.db);
		const [fire, water] = world.stationIds as [string, string];
		await saveStationHeadcounts(t.db, world.lead, world.sessionId, water, [{ schoolId: world.zebra, yearGroup: 'Y6', count: 11, basedOn: null }], STARTED);

		const result = await saveStationHeadcounts(
			t.db,
			world.lead,
			world.sessionId,
			fire,
			[
				{ schoolId: world.aardvark, yearGroup: 'Y6', count: 20, basedOn: null },
				{ schoolId: world.zebra, yearGroup: 'Y6', count: 12, basedOn: null }
			],
			STARTED
		);

		expect(result).toEqual({ ok: true, saved: 2, changed: 2, conflicts: [] });
		expect(await stored(t.db, world.sessionId)).toEqual([
			{ station_id: water, school_id: world.zebra, year_group: 'Y6', count: 11 },
			{ station_id: fire, school_id: world.zebra, year_group: 'Y6', count: 12 },
			{ station_id: fire, school_id: world.aardvark, year_group: 'Y6', count: 20 }
		]);
	});

	it('refuses a count over the school’s confirmed places, beside that field, and saves nothing', async () => {
		const world = await makeCarouselSession(t.db);
		const counts = [
			{ schoolId: world.aardvark, yearGroup: 'Y6', count: 21, basedOn: null },
			{ schoolId: world.zebra, yearGroup: 'Y6', count: 5, basedOn: null }
		];

		const result = await saveStationHeadcounts(t.db, world.lead, world.sessionId, world.stationIds[0]!, counts, STARTED);

		expect(result).toEqual({
			ok: false,
			code: 'invalid',
			errors: { [countField(world.aardvark, 'Y6')]: 'Aardvark Primary has 20 confirmed places for Year 6: enter 20 or fewer' }
		});
		expect(await stored(t.db, world.sessionId)).toEqual([]);
		expect(await auditEvents(t.db, 'attendance.station_counted')).toEqual([]);
	});

	it('refuses counts that are not whole numbers, each beside its field', async () => {
		const world = await makeCarouselSession(t.db);
		const counts = [
			{ schoolId: world.aardvark, yearGroup: 'Y6', count: Number.NaN, basedOn: null },
			{ schoolId: world.zebra, yearGroup: 'Y6', count: -1, basedOn: null }
		];

		const result = await saveStationHeadcounts(t.db, world.lead, world.sessionId, world.stationIds[0]!, counts, STARTED);

		expect(result).toEqual({
			ok: false,
			code: 'invalid',
			errors: {
				[countField(world.aardvark, 'Y6')]: 'Enter how many of Year 6 from Aardvark Primary came as a whole number, like 12',
				[countField(world.zebra, 'Y6')]: expect.stringContaining('as a whole number')
			}
		});
		expect(!result.ok && result.code === 'invalid' && Object.keys(result.errors)).toEqual([countField(world.aardvark, 'Y6'), countField(world.zebra, 'Y6')]);
		expect(await stored(t.db, world.sessionId)).toEqual([]);
	});

	it('refuses a session that has not started and a cancelled one, saving nothing', async () => {
		const world = await makeCarouselSession(t.db);
		const counts = [{ schoolId: world.aardvark, yearGroup: 'Y6', count: 3, basedOn: null }];

		expect(await saveStationHeadcounts(t.db, world.lead, world.sessionId, world.stationIds[0]!, counts, BEFORE_START)).toMatchObject({
			ok: false,
			code: 'refused',
			reason: 'not_started',
			message: expect.any(String)
		});
		await t.db.updateTable('programme_session').set({ status: 'cancelled' }).where('id', '=', world.sessionId).execute();
		expect(await saveStationHeadcounts(t.db, world.lead, world.sessionId, world.stationIds[0]!, counts, STARTED)).toMatchObject({
			ok: false,
			code: 'refused',
			reason: 'cancelled'
		});
		expect(await stored(t.db, world.sessionId)).toEqual([]);
	});

	it('refuses a school that holds no places here', async () => {
		const world = await makeCarouselSession(t.db);
		const stranger = await makeSchool(t.db, { phase: 'primary' });
		const result = await saveStationHeadcounts(
			t.db,
			world.lead,
			world.sessionId,
			world.stationIds[0]!,
			[{ schoolId: stranger.id, yearGroup: 'Y6', count: 1, basedOn: null }],
			STARTED
		);
		expect(result).toMatchObject({ ok: false, code: 'refused', reason: 'not_on_register' });
	});

	it('replaces counts on a second save, clears an emptied one, and audits only the changes with ids and counts', async () => {
		const world = await makeCarouselSession(t.db);
		const fire = world.stationIds[0]!;
		const first = [
			{ schoolId: world.aardvark, yearGroup: 'Y6', count: 18, basedOn: null },
			{ schoolId: world.zebra, yearGroup: 'Y6', count: 12, basedOn: null }
		];
		await saveStationHeadcounts(t.db, world.lead, world.sessionId, fire, first, STARTED);

		const second = [
			{ schoolId: world.aardvark, yearGroup: 'Y6', count: 19, basedOn: 1 },
			{ schoolId: world.zebra, yearGroup: 'Y6', count: null, basedOn: 1 }
		];
		expect(await saveStationHeadcounts(t.db, world.lead, world.sessionId, fire, second, STARTED)).toEqual({ ok: true, saved: 2, changed: 2, conflicts: [] });
		// The same counts again (the form sent twice) change nothing and add no audit rows.
		expect(await saveStationHeadcounts(t.db, world.lead, world.sessionId, fire, second, STARTED)).toEqual({ ok: true, saved: 2, changed: 0, conflicts: [] });

		expect(await stored(t.db, world.sessionId)).toEqual([{ station_id: fire, school_id: world.aardvark, year_group: 'Y6', count: 19 }]);
		const audit = (await auditEvents(t.db)).filter((e) => e.action.startsWith('attendance.station_'));
		expect(audit.map((e) => [e.action, e.entity_id, e.detail])).toEqual([
			['attendance.station_counted', world.sessionId, { stationId: fire, schoolId: world.aardvark, yearGroup: 'Y6', from: null, to: 18 }],
			['attendance.station_counted', world.sessionId, { stationId: fire, schoolId: world.zebra, yearGroup: 'Y6', from: null, to: 12 }],
			['attendance.station_count_changed', world.sessionId, { stationId: fire, schoolId: world.aardvark, yearGroup: 'Y6', from: 18, to: 19 }],
			['attendance.station_count_cleared', world.sessionId, { stationId: fire, schoolId: world.zebra, yearGroup: 'Y6', from: 12, to: null }]
		]);
		expect(audit.every((e) => e.actor_id === world.lead.id)).toBe(true);
		expect(JSON.stringify(audit)).not.toMatch(/Aardvark|Zebra|Fire/);
	});

	it('is a 404, audited, for a school contact, another programme’s lead, another session’s station and a session that is not a carousel', async () => {
		const world = await makeCarouselSession(t.db);
		const contact = await makeContact(t.db, 'primary');
		const otherLead = (await createLedProgramme(t.db)).lead;
		const elsewhere = await makeCarouselSession(t.db, 'headcount', ' (elsewhere)');
		const event = await makeHeadcountSession(t.db);

		await expect(getStationRegister(t.db, contact, world.sessionId, world.stationIds[0]!)).rejects.toMatchObject({ status: 404 });
		await expect(saveStationHeadcounts(t.db, otherLead, world.sessionId, world.stationIds[0]!, [], STARTED)).rejects.toMatchObject({ status: 404 });
		await expect(getStationRegister(t.db, world.lead, world.sessionId, elsewhere.stationIds[0]!)).rejects.toMatchObject({ status: 404 });
		await expect(getStationSummary(t.db, event.lead, event.sessionId)).rejects.toMatchObject({ status: 404 });
		expect((await auditEvents(t.db, 'access.refused')).map((e) => [e.actor_id, e.entity_type])).toEqual([
			[contact.id, 'session'],
			[otherLead.id, 'session'],
			[world.lead.id, 'station'],
			[event.lead.id, 'session']
		]);
	});
});

describe('the summary on a carousel session’s register', () => {
	it('gives each station’s total and the session’s headcount, or nothing yet', async () => {
		const world = await makeCarouselSession(t.db);
		const empty = await getStationSummary(t.db, world.lead, world.sessionId);
		expect(empty).toEqual({
			stations: [expect.objectContaining({ name: 'Fire safety', total: null }), expect.objectContaining({ name: 'Water safety', total: null })],
			headcount: null
		});

		await saveStationHeadcounts(
			t.db,
			world.lead,
			world.sessionId,
			world.stationIds[1]!,
			[
				{ schoolId: world.aardvark, yearGroup: 'Y6', count: 19, basedOn: null },
				{ schoolId: world.zebra, yearGroup: 'Y6', count: 0, basedOn: null }
			],
			STARTED
		);
		await saveHeadcounts(
			t.db,
			world.lead,
			world.sessionId,
			[
				{ schoolId: world.aardvark, yearGroup: 'Y6', count: 20, basedOn: null },
				{ schoolId: world.zebra, yearGroup: 'Y6', count: 11, basedOn: null }
			],
			STARTED
		);

		const summary = await getStationSummary(t.db, world.lead, world.sessionId);
		expect(summary.stations.map((s) => [s.name, s.total])).toEqual([
			['Fire safety', null],
			['Water safety', 19]
		]);
		expect(summary.headcount).toBe(31);
	});

	it('counts those marked present or late as a named carousel session’s headcount', async () => {
		const world = await makeCarouselSession(t.db, 'named');
		const pupils = await t.db
			.insertInto('young_person')
			.values(
				['present', 'late', 'absent_unauthorised'].map((status, i) => ({
					school_id: world.aardvark,
					first_name: `P${i}`,
					last_name: status,
					reception_year: 2023
				}))
			)
			.returning('id')
			.execute();
		await t.db
			.insertInto('attendance_mark')
			.values(
				(['present', 'late', 'absent_unauthorised'] as const).map((status, i) => ({
					session_id: world.sessionId,
					young_person_id: pupils[i]!.id,
					status,
					recorded_by: world.lead.id
				}))
			)
			.execute();
		expect((await getStationSummary(t.db, world.lead, world.sessionId)).headcount).toBe(2);
	});
});

describe('changing the workstations', () => {
	it('is refused once a station register has been saved, keeping the counts', async () => {
		const world = await makeCarouselSession(t.db);
		const rows = [{ name: 'Gangs', theme: 'Gangs and county lines', places: '16' }];
		await saveStationHeadcounts(
			t.db,
			world.lead,
			world.sessionId,
			world.stationIds[0]!,
			[{ schoolId: world.zebra, yearGroup: 'Y6', count: 12, basedOn: null }],
			STARTED
		);

		const result = await saveStations(t.db, world.lead, world.programmeId, world.sessionId, rows, '20');

		expect(result).toEqual({
			ok: false,
			code: 'refused',
			reason: 'stations_registered',
			message: expect.stringContaining('can no longer be changed'),
			field: 'stations'
		});
		expect(await t.db.selectFrom('station').select('id').where('session_id', '=', world.sessionId).orderBy('position').execute()).toEqual(
			world.stationIds.map((id) => ({ id }))
		);
		expect(await stored(t.db, world.sessionId)).toHaveLength(1);
	});
});
