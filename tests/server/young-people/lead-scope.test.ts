import { describe, expect, it } from 'vitest';
import { getRegister } from '../../../src/lib/server/attendance/attendance.service';
import {
	addYoungPerson,
	archiveYoungPerson,
	getYoungPersonRecord,
	listSchoolChoices,
	listYoungPeople,
	restoreYoungPerson,
	updateYoungPerson
} from '../../../src/lib/server/young-people/young-people.service';
import type { YoungPersonValues } from '../../../src/lib/server/young-people/young-people.schema';
import { useTestDatabase } from '../../support/database';
import { auditEvents, makeActor, makeBooking, makeSchool } from '../../support/factories';
import { enrol, makeAwardProgress, makeLeadWorld, markAttendance } from '../../support/lead-scope-world';
import { auditText, IN_2026_27, makeYoungPerson } from '../../support/young-people-world';

const t = useTestDatabase();
const notFound = expect.objectContaining({ status: 404 });

const values = (overrides: Partial<YoungPersonValues> = {}): YoungPersonValues => ({
	first_name: 'Tomasz',
	last_name: 'Wiśniewski',
	year_group: 'Y8',
	gender: '',
	sen: '',
	free_school_meals: '',
	...overrides
});

const namesOf = (list: { youngPeople: { first_name: string }[] }) => list.youngPeople.map((p) => p.first_name);

describe("a lead's schools", () => {
	it('lets a lead list and add to the list of a school booked on a programme they lead', async () => {
		const { lead, bookedSchool } = await makeLeadWorld(t.db);
		await makeYoungPerson(t.db, { school_id: bookedSchool.id, first_name: 'Amira' });
		expect(namesOf(await listYoungPeople(t.db, lead, bookedSchool.id, IN_2026_27))).toEqual(['Amira']);
		const added = await addYoungPerson(t.db, lead, bookedSchool.id, values(), IN_2026_27);
		expect(added).toEqual({ ok: true, id: expect.any(String) });
		expect(namesOf(await listYoungPeople(t.db, lead, bookedSchool.id, IN_2026_27))).toEqual(['Amira', 'Tomasz']);
		expect(await auditEvents(t.db, 'young_person.created')).toMatchObject([{ actor_id: lead.id, entity_id: added.ok && added.id }]);
	});

	it("refuses a lead, with a 404 audited, the lists of schools booked only on another lead's programme or nowhere", async () => {
		const { lead, otherSchool, unbookedSchool } = await makeLeadWorld(t.db);
		for (const school of [otherSchool, unbookedSchool]) {
			await makeYoungPerson(t.db, { school_id: school.id });
			await expect(listYoungPeople(t.db, lead, school.id, IN_2026_27)).rejects.toEqual(notFound);
			await expect(addYoungPerson(t.db, lead, school.id, values(), IN_2026_27)).rejects.toEqual(notFound);
		}
		expect(await t.db.selectFrom('young_person').select('id').where('first_name', '=', 'Tomasz').execute()).toEqual([]);
		expect(await auditEvents(t.db, 'access.refused')).toMatchObject([
			{ actor_id: lead.id, entity_type: 'school', entity_id: otherSchool.id, detail: { role: 'lead' } },
			{ actor_id: lead.id, entity_type: 'school', entity_id: otherSchool.id },
			{ actor_id: lead.id, entity_type: 'school', entity_id: unbookedSchool.id },
			{ actor_id: lead.id, entity_type: 'school', entity_id: unbookedSchool.id }
		]);
	});

	it('does not count a cancelled booking', async () => {
		const { lead, session, unbookedSchool } = await makeLeadWorld(t.db);
		await makeBooking(t.db, { session_id: session.id, school_id: unbookedSchool.id, status: 'cancelled', cancelled_at: new Date() });
		await expect(listYoungPeople(t.db, lead, unbookedSchool.id, IN_2026_27)).rejects.toEqual(notFound);
		expect((await listSchoolChoices(t.db, lead)).map((s) => s.id)).not.toContain(unbookedSchool.id);
	});

	it('offers each role the schools whose lists it may open', async () => {
		const { lead, bookedSchool, otherSchool, unbookedSchool } = await makeLeadWorld(t.db);
		const closed = await makeSchool(t.db, { name: 'Closed School', active: false });
		expect(await listSchoolChoices(t.db, lead)).toEqual([{ id: bookedSchool.id, name: bookedSchool.name }]);

		const adminChoices = (await listSchoolChoices(t.db, await makeActor(t.db, { role: 'admin' }))).map((s) => s.id);
		expect(adminChoices).toEqual(expect.arrayContaining([bookedSchool.id, otherSchool.id, unbookedSchool.id]));
		expect(adminChoices).not.toContain(closed.id);

		const contact = await makeActor(t.db, { role: 'school', schoolId: unbookedSchool.id });
		expect(await listSchoolChoices(t.db, contact)).toEqual([{ id: unbookedSchool.id, name: unbookedSchool.name }]);

		const viewer = await makeActor(t.db, { role: 'viewer' });
		await expect(listSchoolChoices(t.db, viewer)).rejects.toEqual(notFound);
		expect(await auditEvents(t.db, 'access.refused')).toMatchObject([{ actor_id: viewer.id }]);
	});
});

describe('getYoungPersonRecord', () => {
	/** A young person of the booked school with history in the lead's programme and in another lead's. */
	async function personWithHistory() {
		const world = await makeLeadWorld(t.db);
		const person = await makeYoungPerson(t.db, { school_id: world.bookedSchool.id, gender: 'female', sen: true });
		await enrol(t.db, world.programme.id, person.id);
		await enrol(t.db, world.otherProgramme.id, person.id, 'applied');
		await markAttendance(t.db, world.session.id, person.id, world.lead.id);
		await markAttendance(t.db, world.otherSession.id, person.id, world.otherLead.id);
		await makeAwardProgress(t.db, world.programme.id, person.id, world.lead.id, 3);
		await makeAwardProgress(t.db, world.otherProgramme.id, person.id, world.otherLead.id);
		await t.db.insertInto('award_level').values({ programme_id: world.programme.id, code: 'discovery', label: 'Bronze' }).execute();
		return { ...world, person };
	}

	it("shows a school contact their own pupil's details and every programme's enrolments, attendance and awards", async () => {
		const { person, bookedSchool, programme } = await personWithHistory();
		const contact = await makeActor(t.db, { role: 'school', schoolId: bookedSchool.id });
		const record = await getYoungPersonRecord(t.db, contact, person.id, IN_2026_27);
		expect(record.person).toMatchObject({
			first_name: 'Amira',
			last_name: 'Okafor',
			year_group: 'Y8',
			school_name: 'Aycliffe Academy',
			gender: 'female',
			sen: true
		});
		expect(record.enrolments).toHaveLength(2);
		expect(record.attendance).toHaveLength(2);
		expect(record.awards).toHaveLength(2);
		expect(record.awards.find((a) => a.programme_id === programme.id)).toMatchObject({ level_label: 'Bronze', days: 3, achieved_on: '2026-11-20' });
		expect(record.awards.find((a) => a.programme_id !== programme.id)).toMatchObject({ level_label: 'Discovery', days: 2 });
	});

	it("shows a lead only their own programmes' rows", async () => {
		const { person, lead, programme } = await personWithHistory();
		const record = await getYoungPersonRecord(t.db, lead, person.id, IN_2026_27);
		expect(record.enrolments.map((e) => e.programme_id)).toEqual([programme.id]);
		expect(record.attendance.map((a) => [a.programme_id, a.status])).toEqual([[programme.id, 'late']]);
		expect(record.awards.map((a) => a.programme_id)).toEqual([programme.id]);
	});

	it('lets an admin see any young person, with all their history', async () => {
		const { person } = await personWithHistory();
		const record = await getYoungPersonRecord(t.db, await makeActor(t.db, { role: 'admin' }), person.id, IN_2026_27);
		expect(record.enrolments).toHaveLength(2);
	});

	it("lets a lead see a young person of a school they cannot list when enrolled in, or marked on a register of, the lead's programme", async () => {
		const { lead, programme, session, unbookedSchool } = await makeLeadWorld(t.db);
		const enrolled = await makeYoungPerson(t.db, { school_id: unbookedSchool.id, first_name: 'Enrolled' });
		const marked = await makeYoungPerson(t.db, { school_id: unbookedSchool.id, first_name: 'Marked' });
		await enrol(t.db, programme.id, enrolled.id);
		await markAttendance(t.db, session.id, marked.id, lead.id);
		expect((await getYoungPersonRecord(t.db, lead, enrolled.id, IN_2026_27)).person.first_name).toBe('Enrolled');
		expect((await getYoungPersonRecord(t.db, lead, marked.id, IN_2026_27)).person.first_name).toBe('Marked');
		await expect(listYoungPeople(t.db, lead, unbookedSchool.id, IN_2026_27)).rejects.toEqual(notFound);
	});

	it('refuses, with a 404 audited, a lead outside their reach, another school, a report viewer and an unknown id', async () => {
		const { lead, otherLead, otherProgramme, otherSchool, unbookedSchool } = await makeLeadWorld(t.db);
		const elsewhere = await makeYoungPerson(t.db, { school_id: unbookedSchool.id });
		// Enrolled in another lead's programme: that lead's, not this one's.
		const theirs = await makeYoungPerson(t.db, { school_id: otherSchool.id });
		await enrol(t.db, otherProgramme.id, theirs.id);
		const otherContact = await makeActor(t.db, { role: 'school', schoolId: otherSchool.id });
		const viewer = await makeActor(t.db, { role: 'viewer' });

		await expect(getYoungPersonRecord(t.db, lead, elsewhere.id, IN_2026_27)).rejects.toEqual(notFound);
		await expect(getYoungPersonRecord(t.db, lead, theirs.id, IN_2026_27)).rejects.toEqual(notFound);
		await expect(getYoungPersonRecord(t.db, otherContact, elsewhere.id, IN_2026_27)).rejects.toEqual(notFound);
		await expect(getYoungPersonRecord(t.db, viewer, theirs.id, IN_2026_27)).rejects.toEqual(notFound);
		await expect(getYoungPersonRecord(t.db, lead, 'not-an-id', IN_2026_27)).rejects.toEqual(notFound);
		expect(await getYoungPersonRecord(t.db, otherLead, theirs.id, IN_2026_27)).toMatchObject({ person: { id: theirs.id } });

		expect(await auditEvents(t.db, 'access.refused')).toMatchObject([
			{ actor_id: lead.id, entity_type: 'young_person', entity_id: elsewhere.id },
			{ actor_id: lead.id, entity_type: 'young_person', entity_id: theirs.id },
			{ actor_id: otherContact.id, entity_type: 'young_person', entity_id: elsewhere.id },
			{ actor_id: viewer.id, entity_type: 'young_person', entity_id: theirs.id, detail: { role: 'viewer' } },
			{ actor_id: lead.id, entity_type: 'young_person', entity_id: null }
		]);
		expect(await auditText(t.db)).not.toMatch(/Amira|Okafor/);
	});
});

describe('changing, archiving and restoring', () => {
	it('lets a lead change a young person in reach and refuses one out of reach, audited by id only', async () => {
		const { lead, bookedSchool, unbookedSchool } = await makeLeadWorld(t.db);
		const inReach = await makeYoungPerson(t.db, { school_id: bookedSchool.id });
		const outOfReach = await makeYoungPerson(t.db, { school_id: unbookedSchool.id });
		expect(await updateYoungPerson(t.db, lead, inReach.id, values({ first_name: 'Amara', last_name: 'Okafor' }), IN_2026_27)).toEqual({
			ok: true,
			id: inReach.id
		});
		await expect(updateYoungPerson(t.db, lead, outOfReach.id, values(), IN_2026_27)).rejects.toEqual(notFound);
		await expect(archiveYoungPerson(t.db, lead, outOfReach.id, IN_2026_27)).rejects.toEqual(notFound);
		const stored = await t.db.selectFrom('young_person').select(['id', 'first_name', 'archived_at']).orderBy('first_name').execute();
		expect(stored).toEqual([
			{ id: inReach.id, first_name: 'Amara', archived_at: null },
			{ id: outOfReach.id, first_name: 'Amira', archived_at: null }
		]);
		expect(await auditEvents(t.db, 'young_person.updated')).toMatchObject([{ actor_id: lead.id, entity_id: inReach.id, detail: { fields: ['first_name'] } }]);
		expect(await auditText(t.db)).not.toMatch(/Amara|Amira|Okafor|Tomasz/);
	});

	it('archiving takes a young person off the list and the register but keeps their history; restoring puts them back', async () => {
		const { lead, programme, session, bookedSchool } = await makeLeadWorld(t.db);
		const contact = await makeActor(t.db, { role: 'school', schoolId: bookedSchool.id });
		const person = await makeYoungPerson(t.db, { school_id: bookedSchool.id });
		await enrol(t.db, programme.id, person.id);
		await markAttendance(t.db, session.id, person.id, lead.id);
		const onRegister = async () => (await getRegister(t.db, lead, session.id)).schools.flatMap((s) => s.people.map((p) => p.id));
		expect(await onRegister()).toEqual([person.id]);

		await archiveYoungPerson(t.db, contact, person.id, IN_2026_27);
		expect((await listYoungPeople(t.db, contact, bookedSchool.id, IN_2026_27)).youngPeople).toEqual([]);
		expect(await onRegister()).toEqual([]);
		const archived = await getYoungPersonRecord(t.db, lead, person.id, IN_2026_27);
		expect(archived.person.archived_at).toEqual(IN_2026_27);
		expect(archived.enrolments).toHaveLength(1);
		expect(archived.attendance).toHaveLength(1);
		await expect(updateYoungPerson(t.db, contact, person.id, values(), IN_2026_27)).rejects.toEqual(notFound);

		expect(await restoreYoungPerson(t.db, lead, person.id)).toEqual({ ok: true, id: person.id });
		expect(namesOf(await listYoungPeople(t.db, contact, bookedSchool.id, IN_2026_27))).toEqual(['Amira']);
		expect(await onRegister()).toEqual([person.id]);
		expect(await auditEvents(t.db, 'young_person.archived')).toMatchObject([{ actor_id: contact.id, entity_id: person.id, detail: {} }]);
		expect(await auditEvents(t.db, 'young_person.restored')).toMatchObject([{ actor_id: lead.id, entity_id: person.id, detail: {} }]);
		expect(await auditText(t.db)).not.toMatch(/Amira|Okafor/);
	});

	it('refuses to restore a young person when the same name has joined the year group since', async () => {
		const { bookedSchool } = await makeLeadWorld(t.db);
		const contact = await makeActor(t.db, { role: 'school', schoolId: bookedSchool.id });
		const person = await makeYoungPerson(t.db, { school_id: bookedSchool.id });
		await archiveYoungPerson(t.db, contact, person.id, IN_2026_27);
		await makeYoungPerson(t.db, { school_id: bookedSchool.id, first_name: 'AMIRA' });
		expect(await restoreYoungPerson(t.db, contact, person.id)).toEqual({
			ok: false,
			code: 'conflict',
			reason: 'duplicate',
			message: 'A young person with this name is already in this year group at the school. Archive or change that record first'
		});
		expect((await t.db.selectFrom('young_person').select('archived_at').where('id', '=', person.id).executeTakeFirstOrThrow()).archived_at).not.toBeNull();
		expect(await auditEvents(t.db, 'young_person.restored')).toEqual([]);
	});

	it("refuses another school's contact a restore, with a 404 audited", async () => {
		const { bookedSchool, otherSchool } = await makeLeadWorld(t.db);
		const person = await makeYoungPerson(t.db, { school_id: bookedSchool.id, archived_at: IN_2026_27 });
		const otherContact = await makeActor(t.db, { role: 'school', schoolId: otherSchool.id });
		await expect(restoreYoungPerson(t.db, otherContact, person.id)).rejects.toEqual(notFound);
		expect(await auditEvents(t.db, 'access.refused')).toMatchObject([{ actor_id: otherContact.id, entity_id: person.id }]);
	});
});
