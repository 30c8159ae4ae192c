import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
	deleteMeeting,
	endPair,
	getCohortOverview,
	getMeeting,
	getPair,
	logMeeting,
	meetingFormVersion,
	pairMentor,
	updateMeeting
} from '../../../src/lib/server/mentoring/mentoring.service';
import { reportFiguresChanged } from '../../../src/lib/server/reports/rollups';
import { createLedProgramme } from '../../support/booking-world';
import { useTestDatabase } from '../../support/database';
import { auditEvents, makeActor } from '../../support/factories';
import { makeMentoringWorld, NOW, people, TODAY, type MentoringWorld } from '../../support/mentoring-world';

// Mentoring as it runs: a pair ends with a reason and keeps its history, a meeting logged wrong
// is corrected or deleted, and the per-mentor cap counts only pairs still running.

vi.mock('../../../src/lib/server/reports/rollups', async (importOriginal) => ({
	...(await importOriginal<typeof import('../../../src/lib/server/reports/rollups')>()),
	reportFiguresChanged: vi.fn()
}));

const t = useTestDatabase();
beforeEach(() => vi.mocked(reportFiguresChanged).mockClear());

async function pair(world: MentoringWorld, mentorId?: string, tag = 'Pupil') {
	const mentor = mentorId ?? (await people(t.db, world, 'Y12', 1, `${tag}Mentor`))[0]!;
	const [mentee] = await people(t.db, world, 'Y9', 1, `${tag}Mentee`);
	const result = await pairMentor(t.db, world.lead, world.programmeId, world.cohortId, { mentorId: mentor, menteeId: mentee! }, NOW);
	if (!result.ok) throw new Error(`pairing failed: ${JSON.stringify(result)}`);
	return { id: result.id, mentor, mentee: mentee! };
}

async function logged(world: MentoringWorld, pairId: string, note = '') {
	const result = await logMeeting(t.db, world.lead, world.programmeId, { pairId, metOn: '2030-03-10', minutes: '45', topics: ['gangs'], note }, NOW);
	if (!result.ok) throw new Error(`logging failed: ${JSON.stringify(result)}`);
	return result.id;
}

const storedPair = (id: string) => t.db.selectFrom('mentoring_pair').select(['ended_on', 'end_reason']).where('id', '=', id).executeTakeFirstOrThrow();

describe('ending a pair', () => {
	it('asks for a reason and changes nothing without one', async () => {
		const world = await makeMentoringWorld(t.db);
		const { id } = await pair(world);
		for (const reason of ['', 'moved away']) {
			expect(await endPair(t.db, world.lead, world.programmeId, id, reason, NOW)).toEqual({
				ok: false,
				code: 'invalid',
				errors: { reason: 'Select why the pair is ending' }
			});
		}
		expect(await storedPair(id)).toEqual({ ended_on: null, end_reason: null });
	});

	it('ends it today with the reason, keeps its meetings, and audits the reason without names', async () => {
		const world = await makeMentoringWorld(t.db);
		const { id } = await pair(world, undefined, 'Zebedee');
		await logged(world, id);
		expect(await endPair(t.db, world.lead, world.programmeId, id, 'mentee_left', NOW)).toEqual({ ok: true, cohortId: world.cohortId });
		expect(await storedPair(id)).toEqual({ ended_on: TODAY, end_reason: 'mentee_left' });
		const { pair: shown, meetings } = await getPair(t.db, world.lead, world.programmeId, id, NOW);
		expect(shown).toMatchObject({ ended_on: TODAY, end_reason: 'mentee_left' });
		expect(meetings).toHaveLength(1);

		const [event] = await auditEvents(t.db, 'mentoring.pair_ended');
		expect(event).toMatchObject({
			actor_id: world.lead.id,
			entity_type: 'mentoring_pair',
			entity_id: id,
			detail: { cohortId: world.cohortId, endedOn: TODAY, reason: 'mentee_left' }
		});
		expect(JSON.stringify(event)).not.toContain('Zebedee');
	});

	it('refuses to end a pair twice, and takes no more meetings for it', async () => {
		const world = await makeMentoringWorld(t.db);
		const { id } = await pair(world);
		await endPair(t.db, world.lead, world.programmeId, id, 'not_working', NOW);
		const again = await endPair(t.db, world.lead, world.programmeId, id, 'other', NOW);
		expect(again).toMatchObject({ ok: false, code: 'refused', reason: 'pair_ended' });
		const meeting = await logMeeting(t.db, world.lead, world.programmeId, { pairId: id, metOn: TODAY, minutes: '30', topics: ['cse'], note: '' }, NOW);
		expect(meeting).toMatchObject({ ok: false, code: 'refused', reason: 'pair_ended', field: 'pairId' });
		expect(await t.db.selectFrom('mentoring_meeting').select('id').execute()).toEqual([]);
		expect(await auditEvents(t.db, 'mentoring.pair_ended')).toHaveLength(1);
	});

	it('frees the mentor’s place: a mentor at the cap with one pair ended takes a new mentee', async () => {
		const world = await makeMentoringWorld(t.db, '2');
		const first = await pair(world);
		await pair(world, first.mentor, 'Second');
		const [third] = await people(t.db, world, 'Y8', 1, 'Third');
		const full = await pairMentor(t.db, world.lead, world.programmeId, world.cohortId, { mentorId: first.mentor, menteeId: third! }, NOW);
		expect(full).toEqual({ ok: false, code: 'invalid', errors: { mentorId: 'This mentor already has 2 mentees, the most allowed in this cohort' } });

		await endPair(t.db, world.lead, world.programmeId, first.id, 'goals_met', NOW);
		const taken = await pairMentor(t.db, world.lead, world.programmeId, world.cohortId, { mentorId: first.mentor, menteeId: third! }, NOW);
		expect(taken.ok).toBe(true);
	});

	it('lets the mentee of an ended pair be paired again, and keeps the ended pair', async () => {
		const world = await makeMentoringWorld(t.db);
		const first = await pair(world);
		const [otherMentor] = await people(t.db, world, 'Y13', 1, 'Other');
		const before = await getCohortOverview(t.db, world.lead, world.programmeId, world.cohortId, TODAY);
		expect(before.mentees.map((m) => m.id)).not.toContain(first.mentee);

		await endPair(t.db, world.lead, world.programmeId, first.id, 'mentor_left', NOW);
		const after = await getCohortOverview(t.db, world.lead, world.programmeId, world.cohortId, TODAY);
		expect(after.mentees.map((m) => m.id)).toContain(first.mentee);
		const again = await pairMentor(t.db, world.lead, world.programmeId, world.cohortId, { mentorId: otherMentor!, menteeId: first.mentee }, NOW);
		expect(again.ok).toBe(true);
		const pairs = await t.db.selectFrom('mentoring_pair').select(['ended_on']).where('mentee_id', '=', first.mentee).orderBy('created_at').execute();
		expect(pairs.map((p) => p.ended_on)).toEqual([TODAY, null]);
	});

	it('is refused in a finished cohort', async () => {
		const world = await makeMentoringWorld(t.db);
		const { id } = await pair(world);
		const result = await endPair(t.db, world.lead, world.programmeId, id, 'other', new Date('2030-09-02T10:00:00Z'));
		expect(result).toMatchObject({ ok: false, code: 'refused', reason: 'cohort_finished' });
		expect(await storedPair(id)).toEqual({ ended_on: null, end_reason: null });
	});
});

describe('correcting a meeting', () => {
	it('changes its date, length, topics and note, audits before and after without the note, and refreshes the figures', async () => {
		const world = await makeMentoringWorld(t.db);
		const { id: pairId } = await pair(world, undefined, 'Quentin');
		const meetingId = await logged(world, pairId, 'Met Quentin at lunch');
		vi.mocked(reportFiguresChanged).mockClear();
		const values = { metOn: '2030-03-12', minutes: '90', topics: ['cse', 'wellbeing'], note: 'Quentin talked about his week' };
		expect(await updateMeeting(t.db, world.lead, world.programmeId, meetingId, values, NOW)).toEqual({ ok: true, pairId });
		const { meeting } = await getMeeting(t.db, world.lead, world.programmeId, meetingId, NOW);
		expect(meeting).toMatchObject({ met_on: '2030-03-12', minutes: 90, topics: ['cse', 'wellbeing'], note: 'Quentin talked about his week' });
		expect(reportFiguresChanged).toHaveBeenCalledTimes(1);

		const [event] = await auditEvents(t.db, 'mentoring.meeting_changed');
		expect(event).toMatchObject({
			actor_id: world.lead.id,
			entity_id: meetingId,
			detail: {
				pairId,
				before: { metOn: '2030-03-10', minutes: 45, topics: 1, hasNote: true },
				after: { metOn: '2030-03-12', minutes: 90, topics: 2, hasNote: true },
				noteChanged: true
			}
		});
		const text = JSON.stringify(event);
		for (const word of ['Quentin', 'lunch', 'his week', 'wellbeing']) expect(text).not.toContain(word);
	});

	it('refuses a correction from a form opened before someone else corrected the meeting, and saves nothing of it', async () => {
		const world = await makeMentoringWorld(t.db);
		const { id: pairId } = await pair(world);
		const meetingId = await logged(world, pairId);
		const version = async () => meetingFormVersion((await getMeeting(t.db, world.lead, world.programmeId, meetingId, NOW)).meeting);
		const opened = await version();
		const mine = { metOn: '2030-03-10', minutes: '45', topics: ['gangs'], note: '' };

		expect(await updateMeeting(t.db, world.admin, world.programmeId, meetingId, { ...mine, minutes: '60' }, NOW, opened)).toEqual({ ok: true, pairId });
		const second = await updateMeeting(t.db, world.lead, world.programmeId, meetingId, { ...mine, topics: ['gangs', 'cse'] }, NOW, opened);

		expect(second).toEqual({
			ok: false,
			code: 'conflict',
			reason: 'changed_since',
			field: 'basedOn',
			message: expect.stringMatching(/^This meeting was changed by someone else, after you opened this page: your changes have not been saved\./),
			errors: {
				minutes: 'How long, in minutes: saved now as ‘60’',
				topics: 'Topics talked about: saved now as ‘Gangs’'
			},
			basedOn: await version()
		});
		const { meeting } = await getMeeting(t.db, world.lead, world.programmeId, meetingId, NOW);
		expect(meeting).toMatchObject({ minutes: 60, topics: ['gangs'] });
		expect(await auditEvents(t.db, 'mentoring.meeting_changed')).toHaveLength(1);
	});

	it.each([
		['no date', { metOn: '' }, 'metOn', 'Enter the date of the meeting'],
		['a date in the future', { metOn: '2030-03-21' }, 'metOn', 'The date of the meeting must be today or in the past'],
		['3 minutes', { minutes: '3' }, 'minutes', 'Minutes must be a whole number from 5 to 600'],
		['no topic', { topics: [] }, 'topics', 'Select the topics talked about, or Other'],
		['a note of 281 characters', { note: 'x'.repeat(281) }, 'note', 'The note must be 280 characters or fewer']
	])('refuses %s, saying which field, and changes nothing', async (_, overrides, key, message) => {
		const world = await makeMentoringWorld(t.db);
		const { id: pairId } = await pair(world);
		const meetingId = await logged(world, pairId);
		const values = { metOn: '2030-03-12', minutes: '60', topics: ['cse'], note: '', ...overrides };
		expect(await updateMeeting(t.db, world.lead, world.programmeId, meetingId, values, NOW)).toEqual({
			ok: false,
			code: 'invalid',
			errors: { [key]: message }
		});
		const { meeting } = await getMeeting(t.db, world.lead, world.programmeId, meetingId, NOW);
		expect(meeting).toMatchObject({ met_on: '2030-03-10', minutes: 45, topics: ['gangs'] });
		expect(await auditEvents(t.db, 'mentoring.meeting_changed')).toEqual([]);
	});

	it('keeps a corrected meeting of an ended pair on or before the day it ended', async () => {
		const world = await makeMentoringWorld(t.db);
		const { id: pairId } = await pair(world);
		const meetingId = await logged(world, pairId);
		await endPair(t.db, world.lead, world.programmeId, pairId, 'other', new Date('2030-03-15T10:00:00Z'));
		const late = await updateMeeting(t.db, world.lead, world.programmeId, meetingId, { metOn: '2030-03-16', minutes: '45', topics: ['gangs'], note: '' }, NOW);
		expect(late).toEqual({ ok: false, code: 'invalid', errors: { metOn: 'The date of the meeting must be on or before 15 March 2030, when the pair ended' } });
		const fine = await updateMeeting(t.db, world.lead, world.programmeId, meetingId, { metOn: '2030-03-15', minutes: '45', topics: ['gangs'], note: '' }, NOW);
		expect(fine.ok).toBe(true);
	});
});

describe('deleting a meeting', () => {
	it('removes it from the pair’s figures, audits what it was without the note, and refreshes the figures', async () => {
		const world = await makeMentoringWorld(t.db);
		const { id: pairId } = await pair(world);
		const keep = await logged(world, pairId);
		const mistake = await logged(world, pairId, 'Logged twice by mistake');
		vi.mocked(reportFiguresChanged).mockClear();
		expect(await deleteMeeting(t.db, world.lead, world.programmeId, mistake, NOW)).toEqual({ ok: true, pairId });
		const { pairs } = await getCohortOverview(t.db, world.lead, world.programmeId, world.cohortId, TODAY);
		expect(pairs.find((p) => p.id === pairId)).toMatchObject({ meetings: 1, minutes: 45 });
		expect((await getPair(t.db, world.lead, world.programmeId, pairId, NOW)).meetings.map((m) => m.id)).toEqual([keep]);
		expect(reportFiguresChanged).toHaveBeenCalledTimes(1);
		const [event] = await auditEvents(t.db, 'mentoring.meeting_deleted');
		expect(event).toMatchObject({ entity_id: mistake, detail: { pairId, before: { metOn: '2030-03-10', minutes: 45, topics: 1, hasNote: true } } });
		expect(JSON.stringify(event)).not.toContain('mistake');
	});

	it('is refused in a finished cohort', async () => {
		const world = await makeMentoringWorld(t.db);
		const { id: pairId } = await pair(world);
		const meetingId = await logged(world, pairId);
		const result = await deleteMeeting(t.db, world.lead, world.programmeId, meetingId, new Date('2030-09-02T10:00:00Z'));
		expect(result).toMatchObject({ ok: false, code: 'refused', reason: 'cohort_finished' });
		expect(await t.db.selectFrom('mentoring_meeting').select('id').execute()).toHaveLength(1);
	});
});

describe('who may end pairs and correct meetings', () => {
	it('is a 404 for another programme’s lead and a school contact, audited, with nothing changed', async () => {
		const world = await makeMentoringWorld(t.db);
		const { id: pairId } = await pair(world);
		const meetingId = await logged(world, pairId);
		const otherLead = (await createLedProgramme(t.db, { shape: 'cohort' })).lead;
		const contact = await makeActor(t.db, { role: 'school' });
		const values = { metOn: '2030-03-12', minutes: '60', topics: ['cse'], note: '' };
		for (const actor of [otherLead, contact]) {
			await expect(getPair(t.db, actor, world.programmeId, pairId, NOW)).rejects.toMatchObject({ status: 404 });
			await expect(endPair(t.db, actor, world.programmeId, pairId, 'other', NOW)).rejects.toMatchObject({ status: 404 });
			await expect(getMeeting(t.db, actor, world.programmeId, meetingId, NOW)).rejects.toMatchObject({ status: 404 });
			await expect(updateMeeting(t.db, actor, world.programmeId, meetingId, values, NOW)).rejects.toMatchObject({ status: 404 });
			await expect(deleteMeeting(t.db, actor, world.programmeId, meetingId, NOW)).rejects.toMatchObject({ status: 404 });
		}
		expect((await auditEvents(t.db, 'access.refused')).filter((e) => e.actor_id === otherLead.id)).toHaveLength(5);
		expect(await storedPair(pairId)).toEqual({ ended_on: null, end_reason: null });
		expect(await t.db.selectFrom('mentoring_meeting').select(['minutes']).execute()).toEqual([{ minutes: 45 }]);
	});

	it('is a 404 for a pair or meeting of another programme, even to an admin', async () => {
		const world = await makeMentoringWorld(t.db);
		const other = await makeMentoringWorld(t.db);
		const { id: pairId } = await pair(other);
		const meetingId = await logMeeting(t.db, other.lead, other.programmeId, { pairId, metOn: TODAY, minutes: '30', topics: ['cse'], note: '' }, NOW);
		if (!meetingId.ok) throw new Error('logging failed');
		await expect(endPair(t.db, world.admin, world.programmeId, pairId, 'other', NOW)).rejects.toMatchObject({ status: 404 });
		await expect(deleteMeeting(t.db, world.admin, world.programmeId, meetingId.id, NOW)).rejects.toMatchObject({ status: 404 });
	});
});
