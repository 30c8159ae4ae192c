import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { getMeetingDayManifest, logCohortMeeting, syncMeetings } from '../../../src/lib/server/mentoring/meeting-day.service';
import { createCohort, endPair, pairMentor } from '../../../src/lib/server/mentoring/mentoring.service';
import { reportFiguresChanged } from '../../../src/lib/server/reports/rollups';
import { addDays } from '../../../src/lib/server/time';
import { createLedProgramme } from '../../support/booking-world';
import { useTestDatabase } from '../../support/database';
import { auditEvents } from '../../support/factories';
import { makeMentoringWorld, NOW, people, TODAY, type MentoringWorld } from '../../support/mentoring-world';

// Mentoring meetings logged on a tablet without signal and sent when the connection returns
// (issue 12): each change carries an id the device made and is applied once.

vi.mock('../../../src/lib/server/reports/rollups', async (importOriginal) => ({
	...(await importOriginal<typeof import('../../../src/lib/server/reports/rollups')>()),
	reportFiguresChanged: vi.fn()
}));

const t = useTestDatabase();
const later = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

async function makePair(world: MentoringWorld, tag = 'Pupil') {
	const [mentor] = await people(t.db, world, 'Y12', 1, `${tag}Mentor`);
	const [mentee] = await people(t.db, world, 'Y9', 1, `${tag}Mentee`);
	const result = await pairMentor(t.db, world.lead, world.programmeId, world.cohortId, { mentorId: mentor!, menteeId: mentee! }, NOW);
	if (!result.ok) throw new Error(`pairing failed: ${JSON.stringify(result)}`);
	return { pairId: result.id, menteeId: mentee! };
}

const meeting = (pairId: string, overrides: Record<string, unknown> = {}) => ({
	clientId: randomUUID(),
	pairId,
	metOn: TODAY,
	minutes: '45',
	topics: ['gangs', 'wellbeing'],
	note: '',
	...overrides
});

const meetings = () => t.db.selectFrom('mentoring_meeting').select(['pair_id', 'met_on', 'minutes', 'topics', 'recorded_by']).orderBy('met_on').execute();
const refusals = async () => (await auditEvents(t.db, 'mentoring.offline_refused')).map((e) => e.detail);

describe('a mentoring cohort kept on a device', () => {
	it('downloads the cohort’s pairs, running and ended', async () => {
		const world = await makeMentoringWorld(t.db);
		const { pairId } = await makePair(world, 'Keep');
		const manifest = await getMeetingDayManifest(t.db, world.lead, world.programmeId, world.cohortId, NOW);
		expect(manifest.pairs).toEqual([expect.objectContaining({ id: pairId, endedOn: null, meetings: 0 })]);
		expect(manifest.pairs[0]!.label).toMatch(/KeepMentor.* with .*KeepMentee/);
	});

	it('logs a meeting sent twice once, and says the second send was a repeat', async () => {
		const world = await makeMentoringWorld(t.db);
		const { pairId, menteeId } = await makePair(world);
		const batch = { changes: [meeting(pairId)] };

		const first = await syncMeetings(t.db, world.lead, world.programmeId, world.cohortId, batch, later(1));
		const again = await syncMeetings(t.db, world.lead, world.programmeId, world.cohortId, batch, later(2));

		expect(first).toMatchObject({ ok: true, sent: 1, conflicts: [], results: [{ outcome: 'saved', repeated: false }] });
		expect(again).toMatchObject({ ok: true, sent: 0, results: [{ outcome: 'saved', repeated: true }] });
		expect(await meetings()).toEqual([{ pair_id: pairId, met_on: TODAY, minutes: 45, topics: ['gangs', 'wellbeing'], recorded_by: world.lead.id }]);
		expect((await auditEvents(t.db, 'mentoring.meeting_logged')).map((e) => e.detail)).toEqual([
			expect.objectContaining({ pairId, offline: true, hasNote: false })
		]);
		expect(reportFiguresChanged).toHaveBeenLastCalledWith({ youngPeople: [{ id: menteeId, day: TODAY }] });
	});

	it('returns a conflict, not a meeting, for a pair someone ended after the device downloaded the cohort', async () => {
		const world = await makeMentoringWorld(t.db);
		const { pairId } = await makePair(world);
		await endPair(t.db, world.admin, world.programmeId, pairId, 'mentee_left', later(1));

		const result = await syncMeetings(t.db, world.lead, world.programmeId, world.cohortId, { changes: [meeting(pairId)] }, later(2));

		expect(result).toMatchObject({ ok: true, sent: 0, results: [{ outcome: 'conflict', repeated: false }] });
		expect(result.ok && result.conflicts[0]!.message).toMatch(/the pair ended on 20 March 2030, so the meeting on 20 March 2030 was not logged/);
		expect(await meetings()).toEqual([]);
	});

	it.each([
		['a date in the future', { metOn: addDays(TODAY, 1) }, 'invalid_metOn', /must be today or in the past/],
		['a date before the cohort’s year', { metOn: '2029-08-31' }, 'invalid_metOn', /in the cohort's academic year, from 1 September 2029/],
		['minutes out of range', { minutes: '900' }, 'invalid_minutes', /Minutes must be a whole number from 5 to 600/],
		['no topic', { topics: [] }, 'invalid_topics', /Select the topics/]
	])('refuses the whole batch, audited, for %s', async (_case, overrides, reason, message) => {
		const world = await makeMentoringWorld(t.db);
		const { pairId } = await makePair(world);

		const result = await syncMeetings(
			t.db,
			world.lead,
			world.programmeId,
			world.cohortId,
			{ changes: [meeting(pairId), meeting(pairId, overrides)] },
			later(1)
		);

		expect(result).toMatchObject({ ok: false, code: 'refused', reason, message: expect.stringMatching(message) });
		expect(await meetings()).toEqual([]);
		expect(await refusals()).toEqual([{ reason, changes: 2, offline: true, programmeId: world.programmeId }]);
	});

	it('refuses a pair of another cohort of the programme, and nothing of the batch is logged', async () => {
		const world = await makeMentoringWorld(t.db);
		const { pairId } = await makePair(world);
		const other = await createCohort(t.db, world.lead, world.programmeId, { academicYear: '2030', maxMentees: '20' });
		if (!other.ok) throw new Error(JSON.stringify(other));

		const result = await syncMeetings(t.db, world.lead, world.programmeId, other.id, { changes: [meeting(pairId)] }, later(1));
		const form = await logCohortMeeting(
			t.db,
			world.lead,
			world.programmeId,
			other.id,
			{ pairId, metOn: TODAY, minutes: '30', topics: ['other'], note: '' },
			later(1)
		);

		expect(result).toMatchObject({ ok: false, reason: 'not_in_cohort' });
		expect(form).toEqual({ ok: false, code: 'invalid', errors: { pairId: 'Select the mentor and mentee from this cohort’s list' } });
		expect(await meetings()).toEqual([]);
		expect(await refusals()).toEqual([{ reason: 'not_in_cohort', changes: 1, offline: true, programmeId: world.programmeId }]);
	});

	it('refuses a client id sent again with a different meeting, in one batch or a later one, and audits it', async () => {
		const world = await makeMentoringWorld(t.db);
		const { pairId } = await makePair(world);
		const first = meeting(pairId);
		await syncMeetings(t.db, world.lead, world.programmeId, world.cohortId, { changes: [first] }, later(1));

		const later_ = await syncMeetings(t.db, world.lead, world.programmeId, world.cohortId, { changes: [{ ...first, minutes: '50' }] }, later(2));
		const same = meeting(pairId);
		const inOne = await syncMeetings(t.db, world.lead, world.programmeId, world.cohortId, { changes: [same, { ...same, note: 'different' }] }, later(3));

		expect(later_).toMatchObject({ ok: false, reason: 'client_id_reused' });
		expect(inOne).toMatchObject({ ok: false, reason: 'client_id_reused' });
		expect(await meetings()).toHaveLength(1);
		expect((await refusals()).map((d) => d.reason)).toEqual(['client_id_reused', 'client_id_reused']);
	});

	it('refuses a batch that cannot be read, audited', async () => {
		const world = await makeMentoringWorld(t.db);
		const result = await syncMeetings(t.db, world.lead, world.programmeId, world.cohortId, { changes: [{ clientId: 'not-a-uuid' }] }, later(1));
		expect(result).toMatchObject({ ok: false, reason: 'invalid_batch' });
		expect(await refusals()).toEqual([{ reason: 'invalid_batch', changes: 0, offline: true, programmeId: world.programmeId }]);
	});

	it('answers a cohort through another programme, or for a lead of another programme, with a 404, audited', async () => {
		const world = await makeMentoringWorld(t.db);
		const { pairId } = await makePair(world);
		const other = await createLedProgramme(t.db, { shape: 'cohort', registerKind: 'named', yearGroups: ['Y8'] });

		await expect(syncMeetings(t.db, other.lead, other.programmeId, world.cohortId, { changes: [meeting(pairId)] }, later(1))).rejects.toMatchObject({
			status: 404
		});
		await expect(syncMeetings(t.db, other.lead, world.programmeId, world.cohortId, { changes: [meeting(pairId)] }, later(1))).rejects.toMatchObject({
			status: 404
		});
		await expect(getMeetingDayManifest(t.db, other.lead, world.programmeId, world.cohortId, later(1))).rejects.toMatchObject({ status: 404 });

		expect(await meetings()).toEqual([]);
		expect((await auditEvents(t.db, 'access.refused')).length).toBeGreaterThanOrEqual(3);
	});
});
