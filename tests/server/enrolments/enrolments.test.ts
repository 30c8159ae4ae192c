import { describe, expect, it } from 'vitest';
import { changeEnrolmentStage, enrolYoungPerson, getEnrolChoices, getEnrolments } from '../../../src/lib/server/enrolments/enrolments.service';
import type { EnrolValues } from '../../../src/lib/server/enrolments/enrolments.schema';
import { useTestDatabase } from '../../support/database';
import { auditEvents, makeActor } from '../../support/factories';
import { enrol, makeLeadWorld } from '../../support/lead-scope-world';
import { auditText, IN_2026_27, makeYoungPerson } from '../../support/young-people-world';

const t = useTestDatabase();
const notFound = expect.objectContaining({ status: 404 });

const enrolValues = (schoolId: string, youngPersonId: string, overrides: Partial<EnrolValues> = {}): EnrolValues => ({
	schoolId,
	youngPersonId,
	role: 'participant',
	stage: 'enrolled',
	startedOn: '2026-11-02',
	...overrides
});

const storedEnrolments = () => t.db.selectFrom('enrolment').select(['programme_id', 'young_person_id', 'role', 'stage', 'started_on', 'ended_on']).execute();

describe('enrolYoungPerson', () => {
	it("enrols a young person from a school in the lead's reach, audited by id only", async () => {
		const { lead, programme, bookedSchool } = await makeLeadWorld(t.db);
		const person = await makeYoungPerson(t.db, { school_id: bookedSchool.id });
		const result = await enrolYoungPerson(t.db, lead, programme.id, enrolValues(bookedSchool.id, person.id), IN_2026_27);
		expect(result).toEqual({ ok: true, id: expect.any(String) });
		expect(await storedEnrolments()).toEqual([
			{ programme_id: programme.id, young_person_id: person.id, role: 'participant', stage: 'enrolled', started_on: '2026-11-02', ended_on: null }
		]);
		expect(await auditEvents(t.db, 'enrolment.created')).toMatchObject([
			{
				actor_id: lead.id,
				entity_type: 'enrolment',
				entity_id: result.ok && result.id,
				detail: {
					programmeId: programme.id,
					youngPersonId: person.id,
					schoolId: bookedSchool.id,
					role: 'participant',
					stage: 'enrolled',
					startedOn: '2026-11-02'
				}
			}
		]);
		expect(await auditText(t.db)).not.toMatch(/Amira|Okafor/);
	});

	it('returns a message for each missing or bad field and saves nothing', async () => {
		const { lead, programme, bookedSchool } = await makeLeadWorld(t.db);
		const empty = await enrolYoungPerson(t.db, lead, programme.id, enrolValues(bookedSchool.id, '', { role: '', stage: '', startedOn: '' }), IN_2026_27);
		expect(empty).toEqual({
			ok: false,
			code: 'invalid',
			errors: { youngPersonId: 'Select a young person', role: expect.any(String), stage: expect.any(String), startedOn: 'Enter the start date' }
		});
		const person = await makeYoungPerson(t.db, { school_id: bookedSchool.id });
		// Completing comes later; mentors belong to cohort programmes; 30 February is no date.
		const bad = await enrolYoungPerson(
			t.db,
			lead,
			programme.id,
			enrolValues(bookedSchool.id, person.id, { role: 'mentor', stage: 'completed', startedOn: '2026-02-30' }),
			IN_2026_27
		);
		expect(bad).toEqual({
			ok: false,
			code: 'invalid',
			errors: { role: 'Select participant as the role', stage: expect.any(String), startedOn: 'The start date must be a real date' }
		});
		expect(await storedEnrolments()).toEqual([]);
		expect(await auditEvents(t.db, 'enrolment.created')).toEqual([]);
	});

	it('takes mentors and mentees in a cohort programme', async () => {
		const { lead, programme, bookedSchool } = await makeLeadWorld(t.db, { shape: 'cohort' });
		const person = await makeYoungPerson(t.db, { school_id: bookedSchool.id });
		expect(await enrolYoungPerson(t.db, lead, programme.id, enrolValues(bookedSchool.id, person.id, { role: 'mentee' }), IN_2026_27)).toMatchObject({
			ok: true
		});
		expect(await storedEnrolments()).toMatchObject([{ role: 'mentee' }]);
	});

	it("refuses young people who are not on the chosen school's current list, or already enrolled", async () => {
		const { lead, programme, bookedSchool, unbookedSchool } = await makeLeadWorld(t.db);
		const elsewhere = await makeYoungPerson(t.db, { school_id: unbookedSchool.id });
		const archived = await makeYoungPerson(t.db, { school_id: bookedSchool.id, archived_at: IN_2026_27 });
		const leftSchool = await makeYoungPerson(t.db, { school_id: bookedSchool.id, reception_year: 2012 });
		for (const person of [elsewhere, archived, leftSchool]) {
			const result = await enrolYoungPerson(t.db, lead, programme.id, enrolValues(bookedSchool.id, person.id), IN_2026_27);
			expect(result).toEqual({ ok: false, code: 'invalid', errors: { youngPersonId: "Select a young person from Aycliffe Academy's list" } });
		}
		const person = await makeYoungPerson(t.db, { school_id: bookedSchool.id, first_name: 'Enrolled' });
		await enrol(t.db, programme.id, person.id);
		const again = await enrolYoungPerson(t.db, lead, programme.id, enrolValues(bookedSchool.id, person.id, { stage: 'active' }), IN_2026_27);
		expect(again).toEqual({ ok: false, code: 'invalid', errors: { youngPersonId: 'This young person is already enrolled in this programme' } });
		expect(await storedEnrolments()).toMatchObject([{ young_person_id: person.id, stage: 'active', started_on: '2026-09-10' }]);
	});

	it("gives a 404, audited, for a school out of the lead's reach and to anyone not managing the programme", async () => {
		const { lead, otherLead, programme, bookedSchool, unbookedSchool } = await makeLeadWorld(t.db);
		const outside = await makeYoungPerson(t.db, { school_id: unbookedSchool.id });
		const inside = await makeYoungPerson(t.db, { school_id: bookedSchool.id });
		const contact = await makeActor(t.db, { role: 'school', schoolId: bookedSchool.id });
		const viewer = await makeActor(t.db, { role: 'viewer' });
		await expect(enrolYoungPerson(t.db, lead, programme.id, enrolValues(unbookedSchool.id, outside.id), IN_2026_27)).rejects.toEqual(notFound);
		for (const actor of [otherLead, contact, viewer]) {
			await expect(enrolYoungPerson(t.db, actor, programme.id, enrolValues(bookedSchool.id, inside.id), IN_2026_27)).rejects.toEqual(notFound);
		}
		expect(await storedEnrolments()).toEqual([]);
		expect(await auditEvents(t.db, 'access.refused')).toMatchObject([
			{ actor_id: lead.id, entity_type: 'school', entity_id: unbookedSchool.id },
			{ actor_id: otherLead.id, entity_type: 'programme', entity_id: programme.id },
			{ actor_id: contact.id, entity_type: 'programme', entity_id: programme.id },
			{ actor_id: viewer.id, entity_type: 'programme', entity_id: programme.id }
		]);
	});

	it('lets an admin enrol from any school', async () => {
		const { programme, unbookedSchool } = await makeLeadWorld(t.db);
		const admin = await makeActor(t.db, { role: 'admin' });
		const person = await makeYoungPerson(t.db, { school_id: unbookedSchool.id });
		expect(await enrolYoungPerson(t.db, admin, programme.id, enrolValues(unbookedSchool.id, person.id), IN_2026_27)).toMatchObject({ ok: true });
	});
});

describe('getEnrolments and getEnrolChoices', () => {
	it('groups enrolments by school, filters by stage and counts every stage', async () => {
		const { lead, programme, bookedSchool, unbookedSchool } = await makeLeadWorld(t.db);
		const a = await makeYoungPerson(t.db, { school_id: unbookedSchool.id, first_name: 'Cara', last_name: 'Able' });
		const b = await makeYoungPerson(t.db, { school_id: bookedSchool.id, first_name: 'Dan', last_name: 'Zed' });
		const c = await makeYoungPerson(t.db, { school_id: bookedSchool.id, first_name: 'Eve', last_name: 'Bell', archived_at: IN_2026_27 });
		await enrol(t.db, programme.id, a.id, 'applied');
		await enrol(t.db, programme.id, b.id, 'active');
		await enrol(t.db, programme.id, c.id, 'active');

		const all = await getEnrolments(t.db, lead, programme.id, {}, IN_2026_27);
		expect(all.counts).toEqual({ applied: 1, enrolled: 0, active: 2, completed: 0, withdrawn: 0 });
		expect(all.total).toBe(3);
		expect(all.schools.map((s) => [s.schoolName, s.enrolments.map((e) => [e.last_name, e.year_group, e.archived])])).toEqual([
			[
				'Aycliffe Academy',
				[
					['Bell', 'Y8', true],
					['Zed', 'Y8', false]
				]
			],
			['Capel Primary', [['Able', 'Y8', false]]]
		]);

		const active = await getEnrolments(t.db, lead, programme.id, { stage: 'active' }, IN_2026_27);
		expect(active.stage).toBe('active');
		expect(active.schools.flatMap((s) => s.enrolments.map((e) => e.first_name))).toEqual(['Eve', 'Dan']);
		expect(active.counts.applied).toBe(1);
		expect((await getEnrolments(t.db, lead, programme.id, { stage: 'everything' }, IN_2026_27)).stage).toBeUndefined();
	});

	it("offers a lead the schools in reach and a school's young people not yet enrolled", async () => {
		const { lead, programme, bookedSchool, unbookedSchool } = await makeLeadWorld(t.db);
		const enrolled = await makeYoungPerson(t.db, { school_id: bookedSchool.id, first_name: 'Enrolled' });
		await makeYoungPerson(t.db, { school_id: bookedSchool.id, first_name: 'Free' });
		await makeYoungPerson(t.db, { school_id: bookedSchool.id, first_name: 'Archived', archived_at: IN_2026_27 });
		await enrol(t.db, programme.id, enrolled.id);

		const before = await getEnrolChoices(t.db, lead, programme.id, undefined, IN_2026_27);
		expect(before).toMatchObject({ schools: [{ id: bookedSchool.id }], roles: ['participant'], school: undefined, candidates: [] });
		const chosen = await getEnrolChoices(t.db, lead, programme.id, bookedSchool.id, IN_2026_27);
		expect(chosen.candidates.map((c) => [c.first_name, c.year_group])).toEqual([['Free', 'Y8']]);
		await expect(getEnrolChoices(t.db, lead, programme.id, unbookedSchool.id, IN_2026_27)).rejects.toEqual(notFound);
		expect(await auditEvents(t.db, 'access.refused')).toMatchObject([{ actor_id: lead.id, entity_id: unbookedSchool.id }]);
	});
});

describe('changeEnrolmentStage', () => {
	async function enrolled() {
		const world = await makeLeadWorld(t.db);
		const person = await makeYoungPerson(t.db, { school_id: world.bookedSchool.id });
		const { id } = await enrol(t.db, world.programme.id, person.id);
		return { ...world, person, enrolmentId: id };
	}
	const stored = (id: string) => t.db.selectFrom('enrolment').select(['stage', 'ended_on']).where('id', '=', id).executeTakeFirstOrThrow();

	it('ends a completed enrolment today unless told another date, audited with ids and stages', async () => {
		const { lead, programme, person, enrolmentId } = await enrolled();
		expect(await changeEnrolmentStage(t.db, lead, programme.id, enrolmentId, { stage: 'completed', endedOn: '' }, IN_2026_27)).toEqual({
			ok: true,
			id: enrolmentId
		});
		expect(await stored(enrolmentId)).toEqual({ stage: 'completed', ended_on: '2026-11-27' });
		await changeEnrolmentStage(t.db, lead, programme.id, enrolmentId, { stage: 'withdrawn', endedOn: '2026-10-15' }, IN_2026_27);
		expect(await stored(enrolmentId)).toEqual({ stage: 'withdrawn', ended_on: '2026-10-15' });
		expect(await auditEvents(t.db, 'enrolment.stage_changed')).toMatchObject([
			{
				actor_id: lead.id,
				entity_id: enrolmentId,
				detail: { programmeId: programme.id, youngPersonId: person.id, from: 'active', to: 'completed', endedOn: '2026-11-27' }
			},
			{ entity_id: enrolmentId, detail: { from: 'completed', to: 'withdrawn', endedOn: '2026-10-15' } }
		]);
		expect(await auditText(t.db)).not.toMatch(/Amira|Okafor/);
	});

	it('clears the end date when going back to an earlier stage, and audits nothing when nothing changes', async () => {
		const { lead, programme, enrolmentId } = await enrolled();
		await changeEnrolmentStage(t.db, lead, programme.id, enrolmentId, { stage: 'withdrawn', endedOn: '2026-10-01' }, IN_2026_27);
		await changeEnrolmentStage(t.db, lead, programme.id, enrolmentId, { stage: 'active', endedOn: '2026-10-01' }, IN_2026_27);
		expect(await stored(enrolmentId)).toEqual({ stage: 'active', ended_on: null });
		await changeEnrolmentStage(t.db, lead, programme.id, enrolmentId, { stage: 'active', endedOn: '' }, IN_2026_27);
		expect(await auditEvents(t.db, 'enrolment.stage_changed')).toHaveLength(2);
	});

	it('refuses an end date before the start, a date that is not real, and an unknown stage, changing nothing', async () => {
		const { lead, programme, enrolmentId } = await enrolled();
		expect(await changeEnrolmentStage(t.db, lead, programme.id, enrolmentId, { stage: 'completed', endedOn: '2026-09-09' }, IN_2026_27)).toEqual({
			ok: false,
			code: 'invalid',
			errors: { endedOn: 'The end date must be on or after the start date, 10 September 2026' }
		});
		expect(await changeEnrolmentStage(t.db, lead, programme.id, enrolmentId, { stage: 'withdrawn', endedOn: '27/11/2026' }, IN_2026_27)).toEqual({
			ok: false,
			code: 'invalid',
			errors: { endedOn: 'The end date must be a real date' }
		});
		expect(await changeEnrolmentStage(t.db, lead, programme.id, enrolmentId, { stage: 'graduated', endedOn: '' }, IN_2026_27)).toEqual({
			ok: false,
			code: 'invalid',
			errors: { stage: 'Select a stage' }
		});
		// Started in the future: today would be before the start, so the end date must be given.
		const later = await enrol(t.db, programme.id, (await makeYoungPerson(t.db, { first_name: 'Later' })).id);
		await t.db.updateTable('enrolment').set({ started_on: '2027-01-05' }).where('id', '=', later.id).execute();
		expect(await changeEnrolmentStage(t.db, lead, programme.id, later.id, { stage: 'withdrawn', endedOn: '' }, IN_2026_27)).toMatchObject({
			ok: false,
			code: 'invalid',
			errors: { endedOn: expect.any(String) }
		});
		expect(await stored(enrolmentId)).toEqual({ stage: 'active', ended_on: null });
		expect(await auditEvents(t.db, 'enrolment.stage_changed')).toEqual([]);
	});

	it("gives a 404, audited, for another programme's enrolment and to a lead of another programme", async () => {
		const { lead, otherLead, programme, otherProgramme, enrolmentId } = await enrolled();
		await expect(changeEnrolmentStage(t.db, lead, otherProgramme.id, enrolmentId, { stage: 'completed', endedOn: '' }, IN_2026_27)).rejects.toEqual(notFound);
		await expect(changeEnrolmentStage(t.db, otherLead, programme.id, enrolmentId, { stage: 'completed', endedOn: '' }, IN_2026_27)).rejects.toEqual(notFound);
		await expect(changeEnrolmentStage(t.db, otherLead, otherProgramme.id, enrolmentId, { stage: 'completed', endedOn: '' }, IN_2026_27)).rejects.toEqual(
			notFound
		);
		expect(await stored(enrolmentId)).toEqual({ stage: 'active', ended_on: null });
		expect(await auditEvents(t.db, 'access.refused')).toMatchObject([
			{ actor_id: lead.id, entity_type: 'programme', entity_id: otherProgramme.id },
			{ actor_id: otherLead.id, entity_type: 'programme', entity_id: programme.id },
			{ actor_id: otherLead.id, entity_type: 'enrolment', entity_id: enrolmentId }
		]);
	});
});
