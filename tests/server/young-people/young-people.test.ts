import { describe, expect, it } from 'vitest';
import { addYoungPerson, archiveYoungPerson, listYoungPeople, updateYoungPerson } from '../../../src/lib/server/young-people/young-people.service';
import type { YoungPersonValues } from '../../../src/lib/server/young-people/young-people.schema';
import { useTestDatabase } from '../../support/database';
import { auditEvents, makeActor } from '../../support/factories';
import { auditText, IN_2026_27, makeSchoolWorld, makeYoungPerson } from '../../support/young-people-world';

const t = useTestDatabase();

const values = (overrides: Partial<YoungPersonValues> = {}): YoungPersonValues => ({
	first_name: 'Siobhán',
	last_name: 'O’Neill-Hughes',
	year_group: 'Y8',
	gender: '',
	sen: '',
	free_school_meals: '',
	...overrides
});

const notFound = expect.objectContaining({ status: 404 });
const storedPeople = () => t.db.selectFrom('young_person').select(['first_name', 'last_name', 'reception_year', 'archived_at']).execute();

describe('addYoungPerson', () => {
	it("adds a young person to the contact's own school, in this year's year group, audited by id only", async () => {
		const { school, contact } = await makeSchoolWorld(t.db);
		const result = await addYoungPerson(t.db, contact, school.id, values({ gender: 'female', sen: 'no', free_school_meals: 'yes' }), IN_2026_27);
		expect(result).toEqual({ ok: true, id: expect.any(String) });
		expect((await listYoungPeople(t.db, contact, school.id, IN_2026_27)).youngPeople).toEqual([
			{
				id: result.ok && result.id,
				first_name: 'Siobhán',
				last_name: 'O’Neill-Hughes',
				year_group: 'Y8',
				gender: 'female',
				sen: false,
				free_school_meals: true,
				archived: false,
				left: false
			}
		]);
		expect(await auditEvents(t.db, 'young_person.created')).toMatchObject([{ entity_id: result.ok && result.id }]);
		expect(await auditText(t.db)).not.toMatch(/Siobh|Neill/);
	});

	it('returns an error for each bad field and saves nothing', async () => {
		const { school, contact } = await makeSchoolWorld(t.db);
		const result = await addYoungPerson(
			t.db,
			contact,
			school.id,
			values({ first_name: '   ', last_name: 'x'.repeat(101), year_group: 'Y14', gender: 'unknown', sen: 'maybe' }),
			IN_2026_27
		);
		expect(result).toEqual({
			ok: false,
			code: 'invalid',
			errors: {
				first_name: expect.any(String),
				last_name: expect.any(String),
				year_group: expect.any(String),
				gender: expect.any(String),
				sen: expect.any(String)
			}
		});
		expect(await storedPeople()).toEqual([]);
	});

	it('refuses the same name in the same year group twice, whatever the case', async () => {
		const { school, contact } = await makeSchoolWorld(t.db);
		await addYoungPerson(t.db, contact, school.id, values(), IN_2026_27);
		const again = await addYoungPerson(t.db, contact, school.id, values({ first_name: 'SIOBHÁN', last_name: "o'neill-hughes" }), IN_2026_27);
		expect(again).toEqual({ ok: false, code: 'invalid', errors: { first_name: expect.any(String) } });
		expect(await storedPeople()).toHaveLength(1);
	});

	it("gives another school's contact a 404, audited, and saves nothing", async () => {
		const { school, otherContact } = await makeSchoolWorld(t.db);
		await expect(addYoungPerson(t.db, otherContact, school.id, values(), IN_2026_27)).rejects.toEqual(notFound);
		expect(await storedPeople()).toEqual([]);
		expect(await auditEvents(t.db, 'access.refused')).toMatchObject([{ actor_id: otherContact.id, entity_type: 'school', entity_id: school.id }]);
	});
});

describe('listYoungPeople', () => {
	it('lets admins see any school, and refuses report viewers', async () => {
		const { school } = await makeSchoolWorld(t.db);
		await makeYoungPerson(t.db, { school_id: school.id });
		expect((await listYoungPeople(t.db, await makeActor(t.db, { role: 'admin' }), school.id, IN_2026_27)).youngPeople).toHaveLength(1);
		const viewer = await makeActor(t.db, { role: 'viewer' });
		await expect(listYoungPeople(t.db, viewer, school.id, IN_2026_27)).rejects.toEqual(notFound);
		expect(await auditEvents(t.db, 'access.refused')).toMatchObject([{ actor_id: viewer.id }]);
	});

	it('refuses a school contact the list of another school', async () => {
		const { school, otherContact } = await makeSchoolWorld(t.db);
		await expect(listYoungPeople(t.db, otherContact, school.id, IN_2026_27)).rejects.toEqual(notFound);
		expect(await auditEvents(t.db, 'access.refused')).toMatchObject([{ actor_id: otherContact.id, entity_id: school.id }]);
	});

	it('rolls year groups over and leaves out those who have left Year 13, or are archived', async () => {
		const { school, contact } = await makeSchoolWorld(t.db);
		await makeYoungPerson(t.db, { school_id: school.id, first_name: 'Year', last_name: 'Thirteen', reception_year: 2013 });
		await makeYoungPerson(t.db, { school_id: school.id, first_name: 'Left', last_name: 'Already', reception_year: 2012 });
		await makeYoungPerson(t.db, { school_id: school.id, first_name: 'Gone', last_name: 'Archived', archived_at: new Date() });
		expect((await listYoungPeople(t.db, contact, school.id, IN_2026_27)).youngPeople.map((p) => p.year_group)).toEqual(['Y13']);
		expect((await listYoungPeople(t.db, contact, school.id, new Date('2027-09-01T12:00:00Z'))).youngPeople).toEqual([]);
	});

	it('finds young people by part of their name', async () => {
		const { school, contact } = await makeSchoolWorld(t.db);
		await makeYoungPerson(t.db, { school_id: school.id, first_name: 'Amira', last_name: 'Okafor' });
		await makeYoungPerson(t.db, { school_id: school.id, first_name: 'Tom', last_name: 'Baker' });
		const found = await listYoungPeople(t.db, contact, school.id, IN_2026_27, { search: 'ira oka' });
		expect(found.youngPeople.map((p) => p.last_name)).toEqual(['Okafor']);
	});
});

describe('updateYoungPerson', () => {
	it('saves the changes and audits which fields changed, not their values', async () => {
		const { school, contact } = await makeSchoolWorld(t.db);
		const person = await makeYoungPerson(t.db, { school_id: school.id });
		const result = await updateYoungPerson(t.db, contact, person.id, values({ first_name: 'Amira', last_name: 'Okafor-Smith', year_group: '9' }), IN_2026_27);
		expect(result).toEqual({ ok: true, id: person.id });
		expect(await storedPeople()).toMatchObject([{ last_name: 'Okafor-Smith', reception_year: 2017 }]);
		expect(await auditEvents(t.db, 'young_person.updated')).toMatchObject([{ entity_id: person.id, detail: { fields: ['last_name', 'year_group'] } }]);
		expect(await auditText(t.db)).not.toMatch(/Okafor|Amira/);
	});

	it('returns field errors and changes nothing', async () => {
		const { school, contact } = await makeSchoolWorld(t.db);
		const person = await makeYoungPerson(t.db, { school_id: school.id });
		const result = await updateYoungPerson(t.db, contact, person.id, values({ last_name: '', year_group: 'Nursery' }), IN_2026_27);
		expect(result).toEqual({ ok: false, code: 'invalid', errors: { last_name: expect.any(String), year_group: expect.any(String) } });
		expect(await storedPeople()).toMatchObject([{ first_name: 'Amira', last_name: 'Okafor', reception_year: 2018 }]);
	});

	it("gives another school's contact a 404 for one of its young people, audited", async () => {
		const { school, otherContact } = await makeSchoolWorld(t.db);
		const person = await makeYoungPerson(t.db, { school_id: school.id });
		await expect(updateYoungPerson(t.db, otherContact, person.id, values(), IN_2026_27)).rejects.toEqual(notFound);
		expect(await storedPeople()).toMatchObject([{ last_name: 'Okafor' }]);
		expect(await auditEvents(t.db, 'access.refused')).toMatchObject([{ actor_id: otherContact.id, entity_type: 'young_person', entity_id: person.id }]);
	});
});

describe('archiveYoungPerson', () => {
	it('takes a young person off the list and audits it by id', async () => {
		const { school, contact } = await makeSchoolWorld(t.db);
		const person = await makeYoungPerson(t.db, { school_id: school.id });
		await archiveYoungPerson(t.db, contact, person.id, IN_2026_27);
		expect((await listYoungPeople(t.db, contact, school.id, IN_2026_27)).youngPeople).toEqual([]);
		expect(await auditEvents(t.db, 'young_person.archived')).toMatchObject([{ entity_id: person.id, detail: {} }]);
	});

	it("gives another school's contact a 404, audited, and archives nothing", async () => {
		const { school, otherContact } = await makeSchoolWorld(t.db);
		const person = await makeYoungPerson(t.db, { school_id: school.id });
		await expect(archiveYoungPerson(t.db, otherContact, person.id, IN_2026_27)).rejects.toEqual(notFound);
		expect(await storedPeople()).toMatchObject([{ archived_at: null }]);
		expect(await auditEvents(t.db, 'access.refused')).toMatchObject([{ entity_id: person.id }]);
	});

	it('gives a 404 for an id that is not a young person', async () => {
		const { contact } = await makeSchoolWorld(t.db);
		await expect(archiveYoungPerson(t.db, contact, 'not-an-id', IN_2026_27)).rejects.toEqual(notFound);
	});
});
