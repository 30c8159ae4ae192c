import { describe, expect, it } from 'vitest';
import { addYoungPerson, archiveYoungPerson, findArchivedMatch, listYoungPeople } from '../../../src/lib/server/young-people/young-people.service';
import { importYoungPeople, previewYoungPeopleImport } from '../../../src/lib/server/young-people/young-people.import';
import type { YoungPersonValues } from '../../../src/lib/server/young-people/young-people.schema';
import { MAX_PAGE, PAGE_SIZE, pageFromParam, pageOf } from '../../../src/lib/server/paging';
import { useTestDatabase } from '../../support/database';
import { auditEvents, makeActor, makeSchool } from '../../support/factories';
import { listSchoolsPage } from '../../../src/lib/server/schools/schools.service';
import { listUsersPage } from '../../../src/lib/server/users/users.service';
import { auditText, IN_2026_27, makeSchoolWorld, makeYoungPerson } from '../../support/young-people-world';

// Nobody vanishes: archived young people and those who have left school can be listed, and
// adding someone archived offers their record back. And the list comes a page at a time.

const t = useTestDatabase();

const values = (overrides: Partial<YoungPersonValues> = {}): YoungPersonValues => ({
	first_name: 'Zoe',
	last_name: 'oconnor',
	year_group: 'Y9',
	gender: '',
	sen: '',
	free_school_meals: '',
	...overrides
});

async function schoolWithStatuses() {
	const world = await makeSchoolWorld(t.db);
	const id = world.school.id;
	await makeYoungPerson(t.db, { school_id: id, first_name: 'Current', last_name: 'Adams', reception_year: 2018 });
	await makeYoungPerson(t.db, {
		school_id: id,
		first_name: 'Archived',
		last_name: 'Baker',
		reception_year: 2018,
		archived_at: new Date('2026-10-01T12:00:00Z')
	});
	await makeYoungPerson(t.db, { school_id: id, first_name: 'Left', last_name: 'Carter', reception_year: 2012 });
	await makeYoungPerson(t.db, { school_id: id, first_name: 'Both', last_name: 'Dunn', reception_year: 2011, archived_at: new Date('2026-10-01T12:00:00Z') });
	return world;
}

describe('the young people list filters', () => {
	const summary = (list: Awaited<ReturnType<typeof listYoungPeople>>) =>
		list.youngPeople.map((p) => `${p.first_name}${p.archived ? ' archived' : ''}${p.left ? ' left' : ''}`);

	it('leaves out archived young people and those past Year 13 unless asked for, and tags them', async () => {
		const { school, contact } = await schoolWithStatuses();
		const list = (filter = {}) => listYoungPeople(t.db, contact, school.id, IN_2026_27, filter);
		expect(summary(await list())).toEqual(['Current']);
		expect(summary(await list({ includeArchived: true }))).toEqual(['Current', 'Archived archived']);
		expect(summary(await list({ includeLeft: true }))).toEqual(['Current', 'Left left']);
		expect(summary(await list({ includeArchived: true, includeLeft: true }))).toEqual(['Current', 'Archived archived', 'Left left', 'Both archived left']);
		expect((await list({ includeLeft: true })).youngPeople.find((p) => p.left)?.year_group).toBeNull();
		expect((await list({ includeArchived: true, includeLeft: true })).paging.total).toBe(4);
	});

	it('searches the archived and left too when they are included', async () => {
		const { school, contact } = await schoolWithStatuses();
		const found = await listYoungPeople(t.db, contact, school.id, IN_2026_27, { search: 'dunn', includeArchived: true, includeLeft: true });
		expect(summary(found)).toEqual(['Both archived left']);
		expect(summary(await listYoungPeople(t.db, contact, school.id, IN_2026_27, { search: 'dunn' }))).toEqual([]);
	});
});

describe('adding someone archived', () => {
	it('offers the archived record with the same names (any case, accent or apostrophe) instead of a second one', async () => {
		const { school, contact } = await makeSchoolWorld(t.db);
		const archived = await makeYoungPerson(t.db, {
			school_id: school.id,
			first_name: 'Zoë',
			last_name: 'O’Connor',
			reception_year: 2016,
			archived_at: new Date('2026-10-01T12:00:00Z')
		});
		const result = await addYoungPerson(t.db, contact, school.id, values(), IN_2026_27);
		expect(result).toEqual({ ok: false, code: 'refused', reason: 'archived_match', message: expect.any(String), field: 'different_person' });
		expect(await findArchivedMatch(t.db, contact, school.id, values(), IN_2026_27)).toMatchObject({ id: archived.id, first_name: 'Zoë', year_group: 'Y10' });
		expect(await t.db.selectFrom('young_person').select('id').execute()).toHaveLength(1);
	});

	it('adds them anyway when the user confirms a different person, and says so in the audit without a name', async () => {
		const { school, contact } = await makeSchoolWorld(t.db);
		await makeYoungPerson(t.db, { school_id: school.id, first_name: 'Zoë', last_name: 'O’Connor', archived_at: new Date('2026-10-01T12:00:00Z') });
		const result = await addYoungPerson(t.db, contact, school.id, values(), IN_2026_27, { differentPerson: true });
		expect(result).toEqual({ ok: true, id: expect.any(String) });
		expect(await auditEvents(t.db, 'young_person.created')).toMatchObject([{ detail: { differentFromArchived: true } }]);
		expect(await auditText(t.db)).not.toMatch(/zo[eë]|connor/i);
	});

	it('does not offer a record of another school, or a different name', async () => {
		const { school, contact } = await makeSchoolWorld(t.db);
		const otherSchool = await makeSchool(t.db);
		await makeYoungPerson(t.db, { school_id: otherSchool.id, first_name: 'Zoë', last_name: 'O’Connor', archived_at: new Date() });
		await makeYoungPerson(t.db, { school_id: school.id, first_name: 'Zoë', last_name: 'Connors', archived_at: new Date() });
		expect(await addYoungPerson(t.db, contact, school.id, values(), IN_2026_27)).toMatchObject({ ok: true });
	});

	it('lets an archive, then an add of the same names, come back as the same record', async () => {
		const { school, contact } = await makeSchoolWorld(t.db);
		const first = await addYoungPerson(t.db, contact, school.id, values({ first_name: 'Zoë', last_name: 'O’Connor' }), IN_2026_27);
		await archiveYoungPerson(t.db, contact, first.ok ? first.id : '', IN_2026_27);
		expect(await addYoungPerson(t.db, contact, school.id, values(), IN_2026_27)).toMatchObject({ ok: false, reason: 'archived_match' });
	});
});

describe('importing someone archived', () => {
	it('previews the row as a restore and restores the record on confirm, in the file’s year group, audited by id', async () => {
		const { school, contact } = await makeSchoolWorld(t.db);
		const archived = await makeYoungPerson(t.db, {
			school_id: school.id,
			first_name: 'Łukasz',
			last_name: 'O’Brien',
			reception_year: 2017,
			archived_at: new Date('2026-10-01T12:00:00Z')
		});
		const file = 'first_name,last_name,year_group\nlukasz,OBRIEN,Y10\nAmira,Okafor,Y8\n';
		expect(await previewYoungPeopleImport(t.db, contact, school.id, file, IN_2026_27)).toMatchObject({
			ok: true,
			rows: [
				{ row: 2, outcome: 'restore', existingId: archived.id },
				{ row: 3, outcome: 'add' }
			]
		});
		expect(await importYoungPeople(t.db, contact, school.id, file, IN_2026_27)).toMatchObject({ ok: true, counts: { added: 1, matched: 0, restored: 1 } });
		const restored = await t.db
			.selectFrom('young_person')
			.select(['first_name', 'archived_at', 'reception_year'])
			.where('id', '=', archived.id)
			.executeTakeFirstOrThrow();
		expect(restored).toEqual({ first_name: 'Łukasz', archived_at: null, reception_year: 2016 });
		expect(await t.db.selectFrom('young_person').select('id').execute()).toHaveLength(2);
		expect(await auditEvents(t.db, 'young_person.restored')).toMatchObject([{ entity_id: archived.id, detail: { by: 'import' } }]);
		expect(await auditText(t.db)).not.toMatch(/ukasz|brien|amira|okafor/i);
	});

	it('matches a current record before an archived one, and restores each archived record once', async () => {
		const { school, contact } = await makeSchoolWorld(t.db);
		await makeYoungPerson(t.db, { school_id: school.id, first_name: 'Tom', last_name: 'Baker', reception_year: 2018 });
		await makeYoungPerson(t.db, { school_id: school.id, first_name: 'Tom', last_name: 'Baker', reception_year: 2018, archived_at: new Date() });
		await makeYoungPerson(t.db, { school_id: school.id, first_name: 'Ann', last_name: 'Lee', archived_at: new Date() });
		const file = 'first_name,last_name,year_group\nTom,Baker,Y8\nAnn,Lee,Y7\nAnn,Lee,Y9\n';
		const plan = await previewYoungPeopleImport(t.db, contact, school.id, file, IN_2026_27);
		expect(plan.ok && plan.rows.map((r) => r.outcome)).toEqual(['match', 'restore', 'add']);
	});
});

describe('paging', () => {
	it('reads any page number without failing: text, zero and huge numbers', () => {
		expect(pageFromParam(null)).toBe(1);
		expect(pageFromParam('abc')).toBe(1);
		expect(pageFromParam('0')).toBe(1);
		expect(pageFromParam('-3')).toBe(1);
		expect(pageFromParam('2.5')).toBe(1);
		expect(pageFromParam(' 7 ')).toBe(7);
		expect(pageFromParam('99999999999999999999')).toBe(MAX_PAGE);
		expect(pageFromParam('1e9')).toBe(1);
	});

	it('clamps to the last page and counts what is shown', () => {
		expect(pageOf(2, 5056)).toEqual({ page: 2, pageCount: 51, total: 5056, from: 101, to: 200, limit: PAGE_SIZE, offset: 100 });
		expect(pageOf(MAX_PAGE, 5056)).toMatchObject({ page: 51, from: 5001, to: 5056 });
		expect(pageOf(3, 0)).toMatchObject({ page: 1, pageCount: 1, from: 0, to: 0, offset: 0 });
	});

	it('lists a school of 250 a hundred at a time, in name order, and shows the last page for a page past the end', async () => {
		const { school, contact } = await makeSchoolWorld(t.db);
		const names = Array.from({ length: 250 }, (_, i) => `Pupil${String(i).padStart(3, '0')}`);
		await t.db
			.insertInto('young_person')
			.values(names.map((last_name) => ({ school_id: school.id, first_name: 'A', last_name, reception_year: 2018 })))
			.execute();
		const page = (n: number) => listYoungPeople(t.db, contact, school.id, IN_2026_27, { page: n });
		const second = await page(2);
		expect(second.paging).toEqual({ page: 2, pageCount: 3, total: 250, from: 101, to: 200 });
		expect(second.youngPeople.map((p) => p.last_name)).toEqual(names.slice(100, 200));
		const past = await page(pageFromParam('99999999999999999999'));
		expect(past.paging).toMatchObject({ page: 3, from: 201, to: 250 });
		expect(past.youngPeople).toHaveLength(50);
	});

	it('pages the schools and users lists the same way, filters kept', async () => {
		const admin = await makeActor(t.db, { role: 'admin' });
		await t.db
			.insertInto('school')
			.values(Array.from({ length: 105 }, (_, i) => ({ name: `Paged School ${String(i).padStart(3, '0')}`, phase: 'primary' as const, town: 'Deal' as const })))
			.execute();
		const schools = await listSchoolsPage(t.db, admin, { search: 'paged school' }, pageFromParam('99999999999999999999'));
		expect(schools.paging).toEqual({ page: 2, pageCount: 2, total: 105, from: 101, to: 105 });
		expect(schools.schools.map((s) => s.name)).toEqual(['Paged School 100', 'Paged School 101', 'Paged School 102', 'Paged School 103', 'Paged School 104']);
		await t.db
			.insertInto('app_user')
			.values(
				Array.from({ length: 101 }, (_, i) => ({
					email: `paged${i}@example.org`,
					name: `Paged ${String(i).padStart(3, '0')}`,
					role: 'viewer' as const,
					status: 'invited' as const
				}))
			)
			.execute();
		const users = await listUsersPage(t.db, admin, { role: 'viewer' }, 2);
		expect(users.paging).toMatchObject({ page: 2, total: 101, from: 101, to: 101 });
		expect(users.users.map((u) => u.email)).toEqual(['paged100@example.org']);
		await expect(listUsersPage(t.db, await makeActor(t.db, { role: 'lead' }), {}, 1)).rejects.toMatchObject({ status: 404 });
	});
});
