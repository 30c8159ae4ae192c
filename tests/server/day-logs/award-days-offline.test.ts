import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { describe, expect, it, vi } from 'vitest';
import { getAwardDayManifest, logGroupDay, syncAwardDays } from '../../../src/lib/server/awards/award-day.service';
import { addParticipant, createAwardGroup, logAwardDay, signOffAward } from '../../../src/lib/server/awards/awards.service';
import type { DB } from '../../../src/lib/server/db/schema';
import { makeYoungPeople } from '../../support/attendance-world';
import { createLedProgramme } from '../../support/booking-world';
import { useTestDatabase } from '../../support/database';
import { auditEvents, makeSchool } from '../../support/factories';

// Award days logged on a tablet without signal for a whole group and sent when the connection
// returns (issue 12): one change per participant, each with an id the device made and the
// version of the day it was based on.

vi.mock('../../../src/lib/server/reports/rollups', async (importOriginal) => ({
	...(await importOriginal<typeof import('../../../src/lib/server/reports/rollups')>()),
	reportFiguresChanged: vi.fn()
}));

const t = useTestDatabase();
const NOW = new Date('2019-07-01T12:00:00Z');
const later = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

/** An award programme with a group of two young people working towards Discovery. */
async function makeGroup(db: Kysely<DB>) {
	const world = await createLedProgramme(db, { shape: 'award', registerKind: 'named', yearGroups: ['Y8'] });
	const school = await makeSchool(db);
	const people = await makeYoungPeople(db, school.id, 'Y8', 2, 'Cliff');
	for (const p of people) {
		await db
			.insertInto('enrolment')
			.values({ programme_id: world.programmeId, young_person_id: p.id, role: 'participant', stage: 'active', started_on: '2019-04-01' })
			.execute();
	}
	const group = await createAwardGroup(db, world.lead, world.programmeId, { name: 'Cliff Top Group', leaderName: '', trustReference: '' });
	if (!group.ok) throw new Error(JSON.stringify(group));
	const ids: string[] = [];
	for (const p of people) {
		const added = await addParticipant(db, world.lead, world.programmeId, group.id, { youngPersonId: p.id, level: 'discovery' });
		if (!added.ok) throw new Error(JSON.stringify(added));
		ids.push(added.id);
	}
	return { ...world, groupId: group.id, participantIds: ids };
}

const day = (participantId: string, overrides: Record<string, unknown> = {}) => ({
	clientId: randomUUID(),
	participantId,
	day: '2019-06-29',
	challenges: ['discover', 'explore'],
	basedOn: null as number | null,
	...overrides
});

const days = () =>
	t.db.selectFrom('award_day').select(['award_participant_id', 'day', 'challenges', 'version']).orderBy('award_participant_id').orderBy('day').execute();
const refusals = async () => (await auditEvents(t.db, 'award.offline_refused')).map((e) => e.detail);

describe('an award group kept on a device', () => {
	it('downloads the participants with each day logged and its version', async () => {
		const w = await makeGroup(t.db);
		await logAwardDay(t.db, w.lead, w.programmeId, w.groupId, w.participantIds[0]!, { day: '2019-06-01', challenges: ['share'] }, NOW);
		const manifest = await getAwardDayManifest(t.db, w.lead, w.programmeId, w.groupId, NOW);
		expect(manifest.participants.map((p) => p.days)).toEqual(expect.arrayContaining([[{ day: '2019-06-01', challenges: ['share'], version: 1 }], []]));
	});

	it('logs a group’s day sent twice once, and a change based on the day raises its version by one', async () => {
		const w = await makeGroup(t.db);
		const [a, b] = w.participantIds as [string, string];
		const batch = { changes: [day(a), day(b)] };

		const first = await syncAwardDays(t.db, w.lead, w.programmeId, w.groupId, batch, later(1));
		const again = await syncAwardDays(t.db, w.lead, w.programmeId, w.groupId, batch, later(2));
		const changed = await syncAwardDays(t.db, w.lead, w.programmeId, w.groupId, { changes: [day(a, { challenges: ['conserve'], basedOn: 1 })] }, later(3));

		expect(first).toMatchObject({ ok: true, sent: 2, conflicts: [] });
		expect(again).toMatchObject({
			ok: true,
			sent: 0,
			results: [
				{ outcome: 'saved', repeated: true },
				{ outcome: 'saved', repeated: true }
			]
		});
		expect(changed).toMatchObject({ ok: true, sent: 1 });
		expect(await days()).toEqual(
			expect.arrayContaining([
				{ award_participant_id: a, day: '2019-06-29', challenges: ['conserve'], version: 2 },
				{ award_participant_id: b, day: '2019-06-29', challenges: ['discover', 'explore'], version: 1 }
			])
		);
		expect((await auditEvents(t.db)).filter((e) => e.action.startsWith('award.day')).map((e) => e.action)).toEqual([
			'award.day_logged',
			'award.day_logged',
			'award.day_changed'
		]);
	});

	it('returns a conflict, not an overwrite, when someone else logged the day since the device downloaded the group', async () => {
		const w = await makeGroup(t.db);
		const [a, b] = w.participantIds as [string, string];
		// The device downloaded the group with no day on 29 June; at the desk the admin logs it for one of them.
		await logAwardDay(t.db, w.admin, w.programmeId, w.groupId, a, { day: '2019-06-29', challenges: ['share'] }, later(1));

		const result = await syncAwardDays(t.db, w.lead, w.programmeId, w.groupId, { changes: [day(a), day(b)] }, later(2));

		expect(result).toMatchObject({ ok: true, sent: 1 });
		expect(result.ok && result.results.map((r) => r.outcome)).toEqual(['conflict', 'saved']);
		expect(result.ok && result.conflicts).toEqual([
			expect.objectContaining({
				participantId: a,
				day: '2019-06-29',
				theirs: expect.objectContaining({ challenges: ['share'], version: 1 }),
				yours: ['discover', 'explore']
			})
		]);
		expect((await days()).find((d) => d.award_participant_id === a)).toMatchObject({ challenges: ['share'], version: 1 });
	});

	it('returns a conflict for someone whose award was signed off meanwhile', async () => {
		const w = await makeGroup(t.db);
		const a = w.participantIds[0]!;
		for (const d of ['2019-05-01', '2019-05-08', '2019-05-15', '2019-05-22']) {
			await logAwardDay(t.db, w.admin, w.programmeId, w.groupId, a, { day: d, challenges: ['discover', 'explore', 'conserve', 'share'] }, NOW);
		}
		expect(await signOffAward(t.db, w.admin, w.programmeId, w.groupId, a, '', later(1))).toEqual({ ok: true });

		const result = await syncAwardDays(t.db, w.lead, w.programmeId, w.groupId, { changes: [day(a)] }, later(2));

		expect(result).toMatchObject({ ok: true, sent: 0, results: [{ outcome: 'conflict' }] });
		expect((await days()).filter((d) => d.day === '2019-06-29')).toEqual([]);
	});

	it.each([
		['someone not in the group', (w: { participantIds: string[] }) => [day(w.participantIds[0]!), day(randomUUID())], 'not_in_group'],
		['a date in the future', (w: { participantIds: string[] }) => [day(w.participantIds[0]!), day(w.participantIds[1]!, { day: '2019-07-02' })], 'invalid_day'],
		['a date that is not real', (w: { participantIds: string[] }) => [day(w.participantIds[0]!, { day: '2019-02-30' })], 'invalid_day'],
		['no challenge', (w: { participantIds: string[] }) => [day(w.participantIds[0]!, { challenges: [] })], 'invalid_challenges'],
		[
			'a version from the future',
			(w: { participantIds: string[] }) => [day(w.participantIds[0]!), day(w.participantIds[1]!, { basedOn: 3 })],
			'future_version'
		],
		['the same day twice for one person', (w: { participantIds: string[] }) => [day(w.participantIds[0]!), day(w.participantIds[0]!)], 'duplicate']
	])('refuses the whole batch, audited, for %s', async (_case, changes, reason) => {
		const w = await makeGroup(t.db);
		const sent = changes(w);

		const result = await syncAwardDays(t.db, w.lead, w.programmeId, w.groupId, { changes: sent }, later(1));

		expect(result).toMatchObject({ ok: false, code: 'refused', reason });
		expect(result.ok ? '' : 'message' in result && result.message).not.toBe('');
		expect(await days()).toEqual([]);
		expect(await refusals()).toEqual([{ reason, changes: sent.length, offline: true, programmeId: w.programmeId }]);
	});

	it('refuses a client id reused for a different day, audited', async () => {
		const w = await makeGroup(t.db);
		const first = day(w.participantIds[0]!);
		await syncAwardDays(t.db, w.lead, w.programmeId, w.groupId, { changes: [first] }, later(1));
		const result = await syncAwardDays(t.db, w.lead, w.programmeId, w.groupId, { changes: [{ ...first, challenges: ['share'] }] }, later(2));
		expect(result).toMatchObject({ ok: false, reason: 'client_id_reused' });
		expect(await days()).toHaveLength(1);
		expect((await refusals()).map((d) => d.reason)).toEqual(['client_id_reused']);
	});

	it('answers a group through another programme, or for a lead of another programme, with a 404, audited', async () => {
		const w = await makeGroup(t.db);
		const other = await createLedProgramme(t.db, { shape: 'award', registerKind: 'named', yearGroups: ['Y8'] });
		const batch = { changes: [day(w.participantIds[0]!)] };

		await expect(syncAwardDays(t.db, other.lead, other.programmeId, w.groupId, batch, later(1))).rejects.toMatchObject({ status: 404 });
		await expect(syncAwardDays(t.db, other.lead, w.programmeId, w.groupId, batch, later(1))).rejects.toMatchObject({ status: 404 });
		await expect(getAwardDayManifest(t.db, other.lead, w.programmeId, w.groupId, later(1))).rejects.toMatchObject({ status: 404 });

		expect(await days()).toEqual([]);
		expect((await auditEvents(t.db, 'access.refused')).length).toBeGreaterThanOrEqual(3);
	});
});

describe('the group day page’s form, online', () => {
	it('logs the day for everyone ticked, and refuses it whole when someone ticked is not in the group', async () => {
		const w = await makeGroup(t.db);
		const values = { day: '2019-06-30', challenges: ['explore'], participantIds: w.participantIds };

		expect(await logGroupDay(t.db, w.lead, w.programmeId, w.groupId, { ...values, participantIds: [...w.participantIds, randomUUID()] }, NOW)).toEqual({
			ok: false,
			code: 'invalid',
			errors: { participantIds: 'Select people from the group’s list' }
		});
		expect(await days()).toEqual([]);
		expect(await logGroupDay(t.db, w.lead, w.programmeId, w.groupId, values, NOW)).toEqual({ ok: true, logged: 2 });
		expect((await days()).map((d) => [d.day, d.challenges])).toEqual([
			['2019-06-30', ['explore']],
			['2019-06-30', ['explore']]
		]);
	});

	it('asks for a date today or earlier, the challenges and who took part, keeping nothing', async () => {
		const w = await makeGroup(t.db);
		expect(await logGroupDay(t.db, w.lead, w.programmeId, w.groupId, { day: '2019-07-02', challenges: [], participantIds: [] }, NOW)).toEqual({
			ok: false,
			code: 'invalid',
			errors: {
				day: 'The date must be today or in the past',
				challenges: 'Select the challenges the day served',
				participantIds: 'Select who took part in the day'
			}
		});
		expect(await days()).toEqual([]);
	});
});
