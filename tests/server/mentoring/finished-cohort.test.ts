import { describe, expect, it } from 'vitest';
import { cohortFinished, logMeeting, pairMentor } from '../../../src/lib/server/mentoring/mentoring.service';
import { useTestDatabase } from '../../support/database';
import { ACADEMIC_YEAR, makeMentoringWorld, NOW, people, TODAY } from '../../support/mentoring-world';

const t = useTestDatabase();
// 1 September after the cohort's academic year, in the UK (BST): the cohort has finished.
const AFTER = new Date(`${ACADEMIC_YEAR + 1}-08-31T23:30:00Z`);
const LAST_DAY = new Date(`${ACADEMIC_YEAR + 1}-08-31T12:00:00Z`);

describe('a finished cohort', () => {
	it('finishes after 31 August at the end of its academic year, in UK time', () => {
		expect(cohortFinished(ACADEMIC_YEAR, LAST_DAY)).toBe(false);
		expect(cohortFinished(ACADEMIC_YEAR, AFTER)).toBe(true);
	});

	it('takes no new pairs and no new meetings, and keeps what it has', async () => {
		const world = await makeMentoringWorld(t.db);
		const [mentor, other] = await people(t.db, world, 'Y12', 2, 'Mentor');
		const [mentee, late] = await people(t.db, world, 'Y9', 2, 'Mentee');
		const paired = await pairMentor(t.db, world.lead, world.programmeId, world.cohortId, { mentorId: mentor!, menteeId: mentee! }, NOW);
		if (!paired.ok) throw new Error(JSON.stringify(paired));
		const refusedPair = await pairMentor(t.db, world.lead, world.programmeId, world.cohortId, { mentorId: other!, menteeId: late! }, AFTER);
		expect(refusedPair).toMatchObject({ ok: false, reason: 'cohort_finished', field: 'mentorId', message: expect.stringMatching(/finished on 31 August/) });
		const meeting = { pairId: paired.id, metOn: TODAY, minutes: '30', topics: ['gangs'], note: '' };
		expect(await logMeeting(t.db, world.lead, world.programmeId, meeting, AFTER)).toMatchObject({ ok: false, reason: 'cohort_finished', field: 'pairId' });
		expect(await logMeeting(t.db, world.lead, world.programmeId, meeting, LAST_DAY)).toMatchObject({ ok: true });
		expect(await t.db.selectFrom('mentoring_pair').select('id').where('cohort_id', '=', world.cohortId).execute()).toHaveLength(1);
	});
});
