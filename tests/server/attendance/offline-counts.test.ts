import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { saveHeadcounts } from '../../../src/lib/server/attendance/attendance.service';
import { getHeadcountManifest, getStationManifest, syncHeadcounts, syncStationCounts } from '../../../src/lib/server/attendance/offline-counts.service';
import { saveStationHeadcounts } from '../../../src/lib/server/attendance/station-registers.service';
import { createLedProgramme } from '../../support/booking-world';
import { makeCarouselSession } from '../../support/carousel-world';
import { useTestDatabase } from '../../support/database';
import { makeHeadcountSession, STARTED } from '../../support/attendance-world';
import { auditEvents } from '../../support/factories';

const t = useTestDatabase();
const at = (minutes: number) => new Date(STARTED.getTime() + minutes * 60_000);
const count = (schoolId: string, yearGroup: string, n: number, basedOn: number | null = null) => ({
	clientId: randomUUID(),
	schoolId,
	yearGroup,
	count: n,
	basedOn
});

const headcounts = (sessionId: string) =>
	t.db
		.selectFrom('attendance_headcount')
		.select(['school_id', 'year_group', 'count', 'version'])
		.where('session_id', '=', sessionId)
		.orderBy('count')
		.execute();
const stationCounts = (sessionId: string) =>
	t.db.selectFrom('station_headcount').select(['station_id', 'school_id', 'count', 'version']).where('session_id', '=', sessionId).orderBy('count').execute();
const refusals = async () => (await auditEvents(t.db, 'attendance.save_refused')).map((e) => e.detail);

describe('a headcount register kept on a device', () => {
	it('downloads each school and year group with its count and the count’s version', async () => {
		const w = await makeHeadcountSession(t.db);
		await saveHeadcounts(t.db, w.lead, w.sessionId, [{ schoolId: w.schoolId, yearGroup: 'parents', count: 4, basedOn: null }], at(1));

		const manifest = await getHeadcountManifest(t.db, w.lead, w.sessionId, at(2));

		expect(manifest.cells.map((c) => [c.school, c.yearGroup, c.count, c.version])).toEqual([
			['Aardvark Academy', 'Y8', null, null],
			['Aardvark Academy', 'parents', 4, 1],
			['Zebra School', 'parents', null, null]
		]);
	});

	it('applies a count sent twice once, and a changed count raises the version by one', async () => {
		const w = await makeHeadcountSession(t.db);
		const batch = { changes: [count(w.schoolId, 'parents', 7), count(w.otherSchoolId, 'parents', 3)] };

		const first = await syncHeadcounts(t.db, w.lead, w.sessionId, batch, at(1));
		const again = await syncHeadcounts(t.db, w.lead, w.sessionId, batch, at(2));
		const changed = await syncHeadcounts(t.db, w.lead, w.sessionId, { changes: [count(w.schoolId, 'parents', 8, 1)] }, at(3));

		expect(first).toMatchObject({ ok: true, sent: 2, conflicts: [] });
		expect(again).toMatchObject({ ok: true, sent: 0 });
		expect(again.ok && again.results.map((r) => [r.outcome, r.repeated])).toEqual([
			['saved', true],
			['saved', true]
		]);
		expect(changed).toMatchObject({ ok: true, sent: 1 });
		expect(await headcounts(w.sessionId)).toEqual([
			{ school_id: w.otherSchoolId, year_group: 'parents', count: 3, version: 1 },
			{ school_id: w.schoolId, year_group: 'parents', count: 8, version: 2 }
		]);
		expect((await auditEvents(t.db)).filter((e) => e.action.startsWith('attendance.count')).map((e) => e.action)).toEqual([
			'attendance.counted',
			'attendance.counted',
			'attendance.count_changed'
		]);
	});

	it('returns a conflict, not an overwrite, when someone else changed the count since the device downloaded it', async () => {
		const w = await makeHeadcountSession(t.db);
		await syncHeadcounts(t.db, w.lead, w.sessionId, { changes: [count(w.schoolId, 'parents', 6)] }, at(1));
		// The device downloaded version 1; at the desk the admin corrects it to 9 (version 2).
		await syncHeadcounts(t.db, w.admin, w.sessionId, { changes: [count(w.schoolId, 'parents', 9, 1)] }, at(2));

		const result = await syncHeadcounts(t.db, w.lead, w.sessionId, { changes: [count(w.schoolId, 'parents', 5, 1), count(w.schoolId, 'Y8', 10)] }, at(3));

		expect(result).toMatchObject({
			ok: true,
			sent: 1,
			conflicts: [{ schoolId: w.schoolId, yearGroup: 'parents', theirs: 9, yours: 5, version: 2, school: 'Aardvark Academy', label: 'Parents and carers' }]
		});
		expect(result.ok && result.results.map((r) => r.outcome)).toEqual(['conflict', 'saved']);
		expect((await headcounts(w.sessionId)).map((h) => [h.year_group, h.count, h.version])).toEqual([
			['parents', 9, 2],
			['Y8', 10, 1]
		]);
		// "Use yours": the same count based on theirs is saved.
		expect(await syncHeadcounts(t.db, w.lead, w.sessionId, { changes: [count(w.schoolId, 'parents', 5, 2)] }, at(4))).toMatchObject({ ok: true, sent: 1 });
	});

	it('refuses a reused client id, a version from the future, a count not on the register and an absurd count, saving nothing, audited', async () => {
		const w = await makeHeadcountSession(t.db);
		const first = count(w.schoolId, 'parents', 4);
		await syncHeadcounts(t.db, w.lead, w.sessionId, { changes: [first] }, at(1));
		const good = count(w.otherSchoolId, 'parents', 2);

		const reused = await syncHeadcounts(t.db, w.lead, w.sessionId, { changes: [good, { ...first, count: 5 }] }, at(2));
		const future = await syncHeadcounts(t.db, w.lead, w.sessionId, { changes: [good, count(w.schoolId, 'parents', 5, 3)] }, at(3));
		const notOn = await syncHeadcounts(t.db, w.lead, w.sessionId, { changes: [good, count(w.otherSchoolId, 'Y8', 5)] }, at(4));
		const negative = await syncHeadcounts(t.db, w.lead, w.sessionId, { changes: [good, count(w.schoolId, 'Y8', -1)] }, at(5));
		const absurd = await syncHeadcounts(t.db, w.lead, w.sessionId, { changes: [good, count(w.schoolId, 'Y8', 1_000_000)] }, at(6));
		const fraction = await syncHeadcounts(t.db, w.lead, w.sessionId, { changes: [count(w.schoolId, 'Y8', 2.5)] }, at(7));

		expect(reused).toMatchObject({ ok: false, reason: 'client_id_reused', message: expect.stringContaining('reload the register') });
		expect(future).toMatchObject({ ok: false, reason: 'future_version', message: expect.stringContaining('never had') });
		expect(notOn).toMatchObject({ ok: false, reason: 'not_on_register', message: expect.stringContaining('no places at this session') });
		expect(negative).toMatchObject({
			ok: false,
			reason: 'invalid_count',
			message: 'Enter how many of Year 8 from Aardvark Academy came as a whole number, like 12'
		});
		expect(absurd).toMatchObject({ ok: false, reason: 'invalid_count' });
		expect(fraction).toMatchObject({ ok: false, reason: 'invalid_count' });
		expect(await headcounts(w.sessionId)).toEqual([{ school_id: w.schoolId, year_group: 'parents', count: 4, version: 1 }]);
		expect(await t.db.selectFrom('attendance_client_change').select('client_id').execute()).toEqual([{ client_id: first.clientId }]);
		expect(await refusals()).toEqual([
			{ reason: 'client_id_reused', changes: 2, offline: true },
			{ reason: 'future_version', changes: 2, offline: true },
			{ reason: 'not_on_register', changes: 2, offline: true },
			{ reason: 'invalid_count', changes: 2, offline: true },
			{ reason: 'invalid_count', changes: 2, offline: true },
			{ reason: 'invalid_count', changes: 1, offline: true }
		]);
	});

	it('is a 404 for another programme’s lead and for a named session, audited, and saves nothing', async () => {
		const w = await makeHeadcountSession(t.db);
		const other = await createLedProgramme(t.db, { registerKind: 'headcount' });
		const named = await makeCarouselSession(t.db, 'named');

		await expect(getHeadcountManifest(t.db, other.lead, w.sessionId)).rejects.toMatchObject({ status: 404 });
		await expect(syncHeadcounts(t.db, other.lead, w.sessionId, { changes: [count(w.schoolId, 'parents', 4)] }, at(1))).rejects.toMatchObject({
			status: 404
		});
		await expect(syncHeadcounts(t.db, named.lead, named.sessionId, { changes: [count(named.aardvark, 'Y6', 4)] }, at(1))).rejects.toMatchObject({
			status: 404
		});

		expect((await auditEvents(t.db, 'access.refused')).map((e) => [e.actor_id, e.entity_id])).toEqual([
			[other.lead.id, w.sessionId],
			[other.lead.id, w.sessionId],
			[named.lead.id, named.sessionId]
		]);
		expect(await headcounts(w.sessionId)).toEqual([]);
	});
});

describe('a workstation’s register kept on a device', () => {
	it('downloads the station’s counts with the places each school holds', async () => {
		const w = await makeCarouselSession(t.db);
		await saveStationHeadcounts(t.db, w.lead, w.sessionId, w.stationIds[0]!, [{ schoolId: w.zebra, yearGroup: 'Y6', count: 11, basedOn: null }], STARTED);

		const manifest = await getStationManifest(t.db, w.lead, w.sessionId, w.stationIds[0]!, at(1));

		expect(manifest.stationId).toBe(w.stationIds[0]);
		expect(manifest.cells.map((c) => [c.school, c.places, c.count, c.version])).toEqual([
			['Aardvark Primary', 20, null, null],
			['Zebra Primary', 12, 11, 1]
		]);
	});

	it('applies counts sent twice once, leaves the other station alone, and shows a stale count back as a conflict', async () => {
		const w = await makeCarouselSession(t.db);
		const [fire, water] = w.stationIds as [string, string];
		const batch = { changes: [count(w.aardvark, 'Y6', 18), count(w.zebra, 'Y6', 12)] };

		expect(await syncStationCounts(t.db, w.lead, w.sessionId, fire, batch, at(1))).toMatchObject({ ok: true, sent: 2 });
		expect(await syncStationCounts(t.db, w.lead, w.sessionId, fire, batch, at(2))).toMatchObject({ ok: true, sent: 0 });
		// The same client id at another station is a different change: refused.
		expect(await syncStationCounts(t.db, w.lead, w.sessionId, water, batch, at(3))).toMatchObject({ ok: false, reason: 'client_id_reused' });
		await saveStationHeadcounts(t.db, w.admin, w.sessionId, fire, [{ schoolId: w.aardvark, yearGroup: 'Y6', count: 19, basedOn: 1 }], at(4));
		const stale = await syncStationCounts(t.db, w.lead, w.sessionId, fire, { changes: [count(w.aardvark, 'Y6', 17, 1)] }, at(5));

		expect(stale).toMatchObject({ ok: true, sent: 0, conflicts: [{ theirs: 19, yours: 17, version: 2, school: 'Aardvark Primary' }] });
		expect(await stationCounts(w.sessionId)).toEqual([
			{ station_id: fire, school_id: w.zebra, count: 12, version: 1 },
			{ station_id: fire, school_id: w.aardvark, count: 19, version: 2 }
		]);
		expect((await auditEvents(t.db)).filter((e) => e.action.startsWith('attendance.station_count')).map((e) => e.action)).toEqual([
			'attendance.station_counted',
			'attendance.station_counted',
			'attendance.station_count_changed'
		]);
	});

	it('refuses a count above the places held or for a school not on the register, audited with the station, saving nothing', async () => {
		const w = await makeCarouselSession(t.db);
		const fire = w.stationIds[0]!;
		const other = await makeCarouselSession(t.db, 'headcount', ' (other)');

		const over = await syncStationCounts(t.db, w.lead, w.sessionId, fire, { changes: [count(w.zebra, 'Y6', 10), count(w.aardvark, 'Y6', 21)] }, at(1));
		const elsewhere = await syncStationCounts(t.db, w.lead, w.sessionId, fire, { changes: [count(other.aardvark, 'Y6', 3)] }, at(2));

		expect(over).toMatchObject({ ok: false, reason: 'over_places', message: 'Aardvark Primary has 20 confirmed places for Year 6: enter 20 or fewer' });
		expect(elsewhere).toMatchObject({ ok: false, reason: 'not_on_register' });
		expect(await stationCounts(w.sessionId)).toEqual([]);
		expect(await refusals()).toEqual([
			{ reason: 'over_places', changes: 2, offline: true, stationId: fire },
			{ reason: 'not_on_register', changes: 1, offline: true, stationId: fire }
		]);
		// Another programme's lead, or another session's station: a 404, audited.
		await expect(syncStationCounts(t.db, other.lead, w.sessionId, fire, { changes: [count(w.zebra, 'Y6', 1)] }, at(3))).rejects.toMatchObject({
			status: 404
		});
		await expect(getStationManifest(t.db, w.lead, w.sessionId, other.stationIds[0]!)).rejects.toMatchObject({ status: 404 });
		expect((await auditEvents(t.db, 'access.refused')).map((e) => e.actor_id)).toEqual([other.lead.id, w.lead.id]);
	});
});
