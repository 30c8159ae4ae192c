import { describe, expect, it } from 'vitest';
import { addParticipant, createAwardGroup } from '../../../src/lib/server/awards/awards.service';
import { listDayLogs } from '../../../src/lib/server/day-logs/day-logs.service';
import { makeYoungPeople } from '../../support/attendance-world';
import { createLedProgramme, makeContact } from '../../support/booking-world';
import { useTestDatabase } from '../../support/database';
import { makeSchool } from '../../support/factories';
import { makeMentoringWorld, NOW } from '../../support/mentoring-world';

// The Today page's list of day pages a lead can keep on a device beside the day's registers.

const t = useTestDatabase();

describe('the day pages listed for a lead to keep', () => {
	it('lists the running cohorts and the award groups with someone still working towards an award, of the lead’s programmes only', async () => {
		const mentoring = await makeMentoringWorld(t.db);
		const award = await createLedProgramme(t.db, { shape: 'award', registerKind: 'named', yearGroups: ['Y8'] });
		const group = await createAwardGroup(t.db, award.lead, award.programmeId, { name: 'Samphire Hoe', leaderName: '', trustReference: '' });
		const empty = await createAwardGroup(t.db, award.lead, award.programmeId, { name: 'Nobody yet', leaderName: '', trustReference: '' });
		if (!group.ok || !empty.ok) throw new Error('group refused');
		const school = await makeSchool(t.db);
		const [person] = await makeYoungPeople(t.db, school.id, 'Y8', 1, 'Hoe');
		await t.db
			.insertInto('enrolment')
			.values({ programme_id: award.programmeId, young_person_id: person!.id, role: 'participant', stage: 'active', started_on: '2029-09-01' })
			.execute();
		expect((await addParticipant(t.db, award.lead, award.programmeId, group.id, { youngPersonId: person!.id, level: 'discovery' })).ok).toBe(true);

		const forMentoringLead = await listDayLogs(t.db, mentoring.lead, NOW);
		const forAwardLead = await listDayLogs(t.db, award.lead, NOW);

		expect(forMentoringLead.map((l) => [l.kind, l.path])).toEqual([
			['meeting', `/programmes/${mentoring.programmeId}/mentoring/cohorts/${mentoring.cohortId}/day`]
		]);
		expect(forAwardLead.map((l) => [l.kind, l.title, l.manifest])).toEqual([
			['award_day', 'Award days: Samphire Hoe', `/programmes/${award.programmeId}/awards/${group.id}/day/manifest.json`]
		]);
		// Once the cohort's academic year is over, it is no longer listed.
		expect(await listDayLogs(t.db, mentoring.lead, new Date('2030-09-01T12:00:00Z'))).toEqual([]);
	});

	it('is for those who take registers: a school contact is refused', async () => {
		const contact = await makeContact(t.db);
		await expect(listDayLogs(t.db, contact, NOW)).rejects.toMatchObject({ status: 404 });
	});
});
