import { describe, expect, it } from 'vitest';
import { createCohort, getCohortOverview, listCohorts, logMeeting, pairMentor } from '../../../src/lib/server/mentoring/mentoring.service';
import { createLedProgramme } from '../../support/booking-world';
import { useTestDatabase } from '../../support/database';
import { auditEvents, makeActor, makeSchool } from '../../support/factories';
import { makeYoungPeople } from '../../support/attendance-world';
import { ACADEMIC_YEAR, makeMentoringWorld, NOW, people, TODAY } from '../../support/mentoring-world';

const t = useTestDatabase();

const pairCount = async (cohortId: string) =>
	(
		await t.db
			.selectFrom('mentoring_pair')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('cohort_id', '=', cohortId)
			.executeTakeFirstOrThrow()
	).n;

describe('cohorts', () => {
	it('adds one cohort per academic year, refusing a second for the same year and bad input', async () => {
		const world = await makeMentoringWorld(t.db);
		const again = await createCohort(t.db, world.lead, world.programmeId, { academicYear: String(ACADEMIC_YEAR), maxMentees: '20' });
		expect(again).toEqual({ ok: false, code: 'invalid', errors: { academicYear: 'There is already a cohort for 2029 to 2030' } });
		const bad = await createCohort(t.db, world.lead, world.programmeId, { academicYear: 'next', maxMentees: '0' });
		expect(!bad.ok && bad.code === 'invalid' && Object.keys(bad.errors)).toEqual(['academicYear', 'maxMentees']);
		expect(await listCohorts(t.db, world.lead, world.programmeId)).toHaveLength(1);
	});

	it('is a 404 for a programme that is not of the cohort shape', async () => {
		const world = await createLedProgramme(t.db, { shape: 'event' });
		await expect(listCohorts(t.db, world.lead, world.programmeId)).rejects.toMatchObject({ status: 404 });
	});
});

describe('pairing a mentor with a mentee', () => {
	it('pairs a Year 12 mentor with a Year 8 mentee and enrols both as active', async () => {
		const world = await makeMentoringWorld(t.db);
		const [mentor] = await people(t.db, world, 'Y12');
		const [mentee] = await people(t.db, world, 'Y8');
		const result = await pairMentor(t.db, world.lead, world.programmeId, world.cohortId, { mentorId: mentor!, menteeId: mentee! }, NOW);
		expect(result.ok).toBe(true);
		const enrolments = await t.db
			.selectFrom('enrolment')
			.select(['young_person_id', 'role', 'stage', 'started_on'])
			.where('programme_id', '=', world.programmeId)
			.orderBy('role')
			.execute();
		expect(enrolments).toEqual([
			{ young_person_id: mentee, role: 'mentee', stage: 'active', started_on: TODAY },
			{ young_person_id: mentor, role: 'mentor', stage: 'active', started_on: TODAY }
		]);
	});

	it('offers a lead only young people of schools booked on their programmes, and refuses anyone else as not on the list', async () => {
		const world = await makeMentoringWorld(t.db);
		const [mentor] = await people(t.db, world, 'Y12');
		const elsewhere = await makeSchool(t.db);
		const [outsider] = await makeYoungPeople(t.db, elsewhere.id, 'Y8', 1, 'Elsewhere');
		const overview = await getCohortOverview(t.db, world.lead, world.programmeId, world.cohortId, TODAY);
		expect(overview.mentors.map((m) => m.id)).toContain(mentor);
		expect(overview.mentees.map((m) => m.id)).not.toContain(outsider!.id);
		const result = await pairMentor(t.db, world.lead, world.programmeId, world.cohortId, { mentorId: mentor!, menteeId: outsider!.id }, NOW);
		expect(result).toEqual({ ok: false, code: 'invalid', errors: { menteeId: 'Select a mentee' } });
		// An admin chooses from every school.
		const asAdmin = await getCohortOverview(t.db, world.admin, world.programmeId, world.cohortId, TODAY);
		expect(asAdmin.mentees.map((m) => m.id)).toContain(outsider!.id);
	});

	it('refuses a mentor outside Years 12-13 and a mentee outside Years 8-9, saving nothing', async () => {
		const world = await makeMentoringWorld(t.db);
		const [y11] = await people(t.db, world, 'Y11');
		const [y10] = await people(t.db, world, 'Y10');
		const result = await pairMentor(t.db, world.lead, world.programmeId, world.cohortId, { mentorId: y11!, menteeId: y10! }, NOW);
		expect(result).toEqual({
			ok: false,
			code: 'invalid',
			errors: { mentorId: 'The mentor must be in Year 12 or Year 13 in 2029 to 2030', menteeId: 'The mentee must be in Year 8 or Year 9 in 2029 to 2030' }
		});
		const empty = await pairMentor(t.db, world.lead, world.programmeId, world.cohortId, { mentorId: '', menteeId: 'nonsense' }, NOW);
		expect(empty).toEqual({ ok: false, code: 'invalid', errors: { mentorId: 'Select a mentor', menteeId: 'Select a mentee' } });
		expect(await pairCount(world.cohortId)).toBe(0);
		expect(await t.db.selectFrom('enrolment').select('id').where('programme_id', '=', world.programmeId).execute()).toEqual([]);
	});

	it('refuses a mentor who already has the most mentees the cohort allows', async () => {
		const world = await makeMentoringWorld(t.db, '2');
		const [mentor] = await people(t.db, world, 'Y13');
		const mentees = await people(t.db, world, 'Y9', 3);
		for (const mentee of mentees.slice(0, 2)) {
			expect((await pairMentor(t.db, world.lead, world.programmeId, world.cohortId, { mentorId: mentor!, menteeId: mentee }, NOW)).ok).toBe(true);
		}
		const third = await pairMentor(t.db, world.lead, world.programmeId, world.cohortId, { mentorId: mentor!, menteeId: mentees[2]! }, NOW);
		expect(third).toEqual({ ok: false, code: 'invalid', errors: { mentorId: 'This mentor already has 2 mentees, the most allowed in this cohort' } });
		expect(await pairCount(world.cohortId)).toBe(2);
	});

	it('refuses to pair a mentee who already has a mentor in the cohort', async () => {
		const world = await makeMentoringWorld(t.db);
		const [first, second] = await people(t.db, world, 'Y12', 2);
		const [mentee] = await people(t.db, world, 'Y8');
		await pairMentor(t.db, world.lead, world.programmeId, world.cohortId, { mentorId: first!, menteeId: mentee! }, NOW);
		const again = await pairMentor(t.db, world.lead, world.programmeId, world.cohortId, { mentorId: second!, menteeId: mentee! }, NOW);
		expect(again).toEqual({ ok: false, code: 'invalid', errors: { menteeId: 'This mentee already has a mentor in this cohort' } });
		expect(await pairCount(world.cohortId)).toBe(1);
	});

	it('audits the cohort, the pairing and a meeting with ids only: no name and no note', async () => {
		const world = await makeMentoringWorld(t.db);
		const [mentor] = await people(t.db, world, 'Y12', 1, 'Zebedee');
		const [mentee] = await people(t.db, world, 'Y8', 1, 'Quentin');
		const paired = await pairMentor(t.db, world.lead, world.programmeId, world.cohortId, { mentorId: mentor!, menteeId: mentee! }, NOW);
		if (!paired.ok) throw new Error('pairing failed');
		const note = 'Talked about Quentin Surname0001 and his week';
		const logged = await logMeeting(t.db, world.lead, world.programmeId, { pairId: paired.id, metOn: TODAY, minutes: '45', topics: ['gangs'], note }, NOW);
		expect(logged.ok).toBe(true);

		const events = (await auditEvents(t.db)).filter((e) => e.action.startsWith('mentoring.'));
		expect(events.map((e) => e.action)).toEqual(['mentoring.cohort_created', 'mentoring.paired', 'mentoring.meeting_logged']);
		expect(events[1]).toMatchObject({
			actor_id: world.lead.id,
			entity_type: 'mentoring_pair',
			entity_id: paired.id,
			detail: { mentorId: mentor, menteeId: mentee }
		});
		const text = JSON.stringify(events);
		for (const word of ['Zebedee', 'Quentin', 'Surname', 'his week']) expect(text).not.toContain(word);
	});
});

describe('who may manage mentoring', () => {
	it('is a 404 for another programme’s lead and a school contact, and says so in the audit log', async () => {
		const world = await makeMentoringWorld(t.db);
		const [mentor] = await people(t.db, world, 'Y12');
		const [mentee] = await people(t.db, world, 'Y8');
		const paired = await pairMentor(t.db, world.lead, world.programmeId, world.cohortId, { mentorId: mentor!, menteeId: mentee! }, NOW);
		if (!paired.ok) throw new Error('pairing failed');
		const otherLead = (await createLedProgramme(t.db, { shape: 'cohort' })).lead;
		const contact = await makeActor(t.db, { role: 'school' });

		for (const actor of [otherLead, contact]) {
			await expect(listCohorts(t.db, actor, world.programmeId)).rejects.toMatchObject({ status: 404 });
			await expect(createCohort(t.db, actor, world.programmeId, { academicYear: '2030', maxMentees: '20' })).rejects.toMatchObject({ status: 404 });
			await expect(getCohortOverview(t.db, actor, world.programmeId, world.cohortId, TODAY)).rejects.toMatchObject({ status: 404 });
			await expect(pairMentor(t.db, actor, world.programmeId, world.cohortId, { mentorId: mentor!, menteeId: mentee! }, NOW)).rejects.toMatchObject({
				status: 404
			});
			await expect(
				logMeeting(t.db, actor, world.programmeId, { pairId: paired.id, metOn: TODAY, minutes: '30', topics: ['cse'], note: '' }, NOW)
			).rejects.toMatchObject({ status: 404 });
		}
		const refused = await auditEvents(t.db, 'access.refused');
		expect(refused.filter((e) => e.actor_id === otherLead.id)).toHaveLength(5);
		expect(await t.db.selectFrom('mentoring_meeting').select('id').execute()).toEqual([]);
	});

	it('is a 404 for a cohort of another programme, even to an admin', async () => {
		const world = await makeMentoringWorld(t.db);
		const other = await makeMentoringWorld(t.db);
		await expect(getCohortOverview(t.db, world.admin, world.programmeId, other.cohortId, TODAY)).rejects.toMatchObject({ status: 404 });
	});
});
