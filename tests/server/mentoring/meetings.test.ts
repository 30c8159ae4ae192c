import { describe, expect, it } from 'vitest';
import { getCohortOverview, logMeeting, pairMentor } from '../../../src/lib/server/mentoring/mentoring.service';
import type { MeetingValues } from '../../../src/lib/server/mentoring/mentoring.schema';
import { addDays } from '../../../src/lib/server/time';
import { useTestDatabase } from '../../support/database';
import { makeMentoringWorld, NOW, people, TODAY, type MentoringWorld } from '../../support/mentoring-world';

const t = useTestDatabase();

async function makePair(world: MentoringWorld, tag = 'Pupil'): Promise<string> {
	const [mentor] = await people(t.db, world, 'Y12', 1, `${tag}Mentor`);
	const [mentee] = await people(t.db, world, 'Y9', 1, `${tag}Mentee`);
	const result = await pairMentor(t.db, world.lead, world.programmeId, world.cohortId, { mentorId: mentor!, menteeId: mentee! }, NOW);
	if (!result.ok) throw new Error(`pairing failed: ${JSON.stringify(result)}`);
	return result.id;
}

const meeting = (pairId: string, overrides: Partial<MeetingValues> = {}): MeetingValues => ({
	pairId,
	metOn: TODAY,
	minutes: '60',
	topics: ['cce', 'online_safety'],
	note: '',
	...overrides
});

const meetingCount = async () => (await t.db.selectFrom('mentoring_meeting').select('id').execute()).length;

describe('logging a meeting', () => {
	it('keeps the date, minutes, topics and note, and who recorded it', async () => {
		const world = await makeMentoringWorld(t.db);
		const pairId = await makePair(world);
		const result = await logMeeting(t.db, world.lead, world.programmeId, meeting(pairId, { note: 'Good session at the library' }), NOW);
		expect(result.ok).toBe(true);
		const stored = await t.db.selectFrom('mentoring_meeting').select(['met_on', 'minutes', 'topics', 'note', 'recorded_by']).executeTakeFirstOrThrow();
		expect(stored).toEqual({ met_on: TODAY, minutes: 60, topics: ['cce', 'online_safety'], note: 'Good session at the library', recorded_by: world.lead.id });
	});

	it.each([
		['a date in the future', { metOn: addDays(TODAY, 1) }, 'metOn', 'The date of the meeting must be today or in the past'],
		['no date', { metOn: '' }, 'metOn', 'Enter the date of the meeting'],
		['4 minutes', { minutes: '4' }, 'minutes', 'Minutes must be a whole number from 5 to 600'],
		['601 minutes', { minutes: '601' }, 'minutes', 'Minutes must be a whole number from 5 to 600'],
		['an unknown topic', { topics: ['cse', 'football'] }, 'topics', 'Select topics from the list'],
		['no topic', { topics: [] }, 'topics', 'Select the topics talked about, or Other'],
		['a note of 281 characters', { note: 'x'.repeat(281) }, 'note', 'The note must be 280 characters or fewer']
	])('refuses %s and saves nothing', async (_, overrides, key, message) => {
		const world = await makeMentoringWorld(t.db);
		const pairId = await makePair(world);
		const result = await logMeeting(t.db, world.lead, world.programmeId, meeting(pairId, overrides), NOW);
		expect(result).toEqual({ ok: false, code: 'invalid', errors: { [key]: message } });
		expect(await meetingCount()).toBe(0);
	});

	it('accepts 5 and 600 minutes and a note of exactly 280 characters', async () => {
		const world = await makeMentoringWorld(t.db);
		const pairId = await makePair(world);
		expect((await logMeeting(t.db, world.lead, world.programmeId, meeting(pairId, { minutes: '5', note: 'y'.repeat(280) }), NOW)).ok).toBe(true);
		expect((await logMeeting(t.db, world.lead, world.programmeId, meeting(pairId, { minutes: '600' }), NOW)).ok).toBe(true);
		expect(await meetingCount()).toBe(2);
	});
});

describe('the cohort overview', () => {
	it('totals each pair’s meetings and hours', async () => {
		const world = await makeMentoringWorld(t.db);
		const busy = await makePair(world, 'Busy');
		const quiet = await makePair(world, 'Quiet');
		for (const [metOn, minutes] of [
			['2030-03-01', '90'],
			['2030-03-08', '45']
		] as const) {
			await logMeeting(t.db, world.lead, world.programmeId, meeting(busy, { metOn, minutes }), NOW);
		}
		const { pairs } = await getCohortOverview(t.db, world.lead, world.programmeId, world.cohortId, TODAY);
		const byId = new Map(pairs.map((p) => [p.id, p]));
		expect(byId.get(busy)).toMatchObject({ meetings: 2, minutes: 135, hours: 2.3, last_met_on: '2030-03-08' });
		expect(byId.get(quiet)).toMatchObject({ meetings: 0, minutes: 0, hours: 0, last_met_on: null });
	});

	it('lists a mentee last met 29 days ago as not met for 4 weeks, but not one met 27 days ago', async () => {
		const world = await makeMentoringWorld(t.db);
		const recent = await makePair(world, 'Recent');
		const lapsed = await makePair(world, 'Lapsed');
		await logMeeting(t.db, world.lead, world.programmeId, meeting(recent, { metOn: addDays(TODAY, -27) }), NOW);
		await logMeeting(t.db, world.lead, world.programmeId, meeting(lapsed, { metOn: addDays(TODAY, -29) }), NOW);
		const { notMet } = await getCohortOverview(t.db, world.lead, world.programmeId, world.cohortId, TODAY);
		expect(notMet.map((p) => p.id)).toEqual([lapsed]);
		expect(notMet[0]).toMatchObject({ last_met_on: addDays(TODAY, -29) });
	});

	it('offers Year 12-13 mentors and Year 8-9 mentees not yet paired', async () => {
		const world = await makeMentoringWorld(t.db);
		const pairId = await makePair(world);
		const [y13] = await people(t.db, world, 'Y13');
		const [y8] = await people(t.db, world, 'Y8');
		await people(t.db, world, 'Y10');
		const overview = await getCohortOverview(t.db, world.lead, world.programmeId, world.cohortId, TODAY);
		const pairedMentee = overview.pairs.find((p) => p.id === pairId)!.mentee_id;
		expect(overview.mentors.map((m) => m.id)).toContain(y13);
		expect(overview.mentees.map((m) => m.id)).toContain(y8);
		expect(overview.mentees.map((m) => m.id)).not.toContain(pairedMentee);
		expect(overview.mentors.length + overview.mentees.length).toBeGreaterThanOrEqual(3);
	});
});
