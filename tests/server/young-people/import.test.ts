import { describe, expect, it } from 'vitest';
import { importYoungPeople, previewYoungPeopleImport } from '../../../src/lib/server/young-people/young-people.import';
import { useTestDatabase } from '../../support/database';
import { auditEvents, makeActor } from '../../support/factories';
import { auditText, IN_2026_27, makeSchoolWorld } from '../../support/young-people-world';

const t = useTestDatabase();

const csv = (...lines: string[]) => lines.join('\n') + '\n';
const twoPupils = csv('first_name,last_name,year_group', 'Amira,Okafor,Y8', 'Tom,Baker,Y9');

const storedPeople = () =>
	t.db.selectFrom('young_person').select(['first_name', 'last_name', 'reception_year', 'gender', 'sen', 'free_school_meals']).orderBy('last_name').execute();

async function importForOwnSchool(text: string) {
	const { school, contact } = await makeSchoolWorld(t.db);
	return importYoungPeople(t.db, contact, school.id, text, IN_2026_27);
}

describe('previewYoungPeopleImport', () => {
	it('says what each row would do without saving anything', async () => {
		const { school, contact } = await makeSchoolWorld(t.db);
		const plan = await previewYoungPeopleImport(t.db, contact, school.id, twoPupils, IN_2026_27);
		expect(plan).toMatchObject({
			ok: true,
			rows: [
				{ row: 2, outcome: 'add', yearGroup: 'Y8' },
				{ row: 3, outcome: 'add', yearGroup: 'Y9' }
			]
		});
		expect(await storedPeople()).toEqual([]);
	});

	it("gives another school's contact a 404, audited", async () => {
		const { school, otherContact } = await makeSchoolWorld(t.db);
		await expect(previewYoungPeopleImport(t.db, otherContact, school.id, twoPupils, IN_2026_27)).rejects.toEqual(expect.objectContaining({ status: 404 }));
		expect(await auditEvents(t.db, 'access.refused')).toMatchObject([{ actor_id: otherContact.id, entity_id: school.id }]);
	});
});

describe('importYoungPeople', () => {
	it('adds every row of a valid file and audits the counts, never a name', async () => {
		const result = await importForOwnSchool(
			csv('first_name,last_name,year_group,gender,sen,free_school_meals', 'Amira,Okafor,Y8,female,yes,no', 'Tom,Baker,R,,,')
		);
		expect(result).toMatchObject({ ok: true, counts: { added: 2, matched: 0 } });
		expect(await storedPeople()).toEqual([
			{ first_name: 'Tom', last_name: 'Baker', reception_year: 2026, gender: null, sen: null, free_school_meals: null },
			{ first_name: 'Amira', last_name: 'Okafor', reception_year: 2018, gender: 'female', sen: true, free_school_meals: false }
		]);
		expect(await auditEvents(t.db, 'young_person.imported')).toMatchObject([{ entity_type: 'school', detail: { added: 2, matched: 0 } }]);
		expect(await auditText(t.db)).not.toMatch(/Amira|Okafor|Tom|Baker/);
	});

	// The shapes a CSV takes when saved from Excel, LibreOffice or a school's MIS.
	it.each([
		['a UTF-8 byte order mark and CRLF line endings', '\uFEFFfirst_name,last_name,year_group\r\nAmira,Okafor,Y8\r\n', ['Amira', 'Okafor', 2018]],
		['semicolons between fields', 'first_name;last_name;year_group\nZoë;Brontë;8\n', ['Zoë', 'Brontë', 2018]],
		['quoted fields', 'first_name,last_name,year_group\n"Mary Jane","Smith, Jones","Year 8"\n', ['Mary Jane', 'Smith, Jones', 2018]],
		['a straight apostrophe', "first_name,last_name,year_group\nSeán,O'Brien,Y8\n", ['Seán', "O'Brien", 2018]],
		['a curly apostrophe and a hyphen', 'first_name,last_name,year_group\nJean-Luc,D’Arcy-Lewis,Y8\n', ['Jean-Luc', 'D’Arcy-Lewis', 2018]],
		['upper-case header names', 'FIRST_NAME,LAST_NAME,YEAR_GROUP\nAmira,Okafor,Y8\n', ['Amira', 'Okafor', 2018]],
		['"First Name", "Surname" and "Year" headers', 'First Name,Surname,Year\nAmira,Okafor,8\n', ['Amira', 'Okafor', 2018]],
		['"Last Name" and "Year Group" headers, and extra columns', 'Reg Group,First Name,Last Name,Year Group\n8A,Amira,Okafor,Y8\n', ['Amira', 'Okafor', 2018]],
		['"Reception" written out', 'first_name,last_name,year_group\nAmira,Okafor,Reception\n', ['Amira', 'Okafor', 2026]],
		['"R" for Reception', 'first_name,last_name,year_group\nAmira,Okafor,R\n', ['Amira', 'Okafor', 2026]]
	])('reads a file with %s', async (_, text, [firstName, lastName, receptionYear]) => {
		expect(await importForOwnSchool(text)).toMatchObject({ ok: true, counts: { added: 1 } });
		expect(await storedPeople()).toMatchObject([{ first_name: firstName, last_name: lastName, reception_year: receptionYear }]);
	});

	it('saves nothing when any row is bad, and names the row, column and reason of each problem', async () => {
		const result = await importForOwnSchool(csv('first_name,last_name,year_group,sen', 'Amira,Okafor,Y8,', 'Tom,,Y9,', '', 'Ella,Smith,Year 14,perhaps'));
		expect(result).toEqual({
			ok: false,
			code: 'invalid',
			errors: { file: expect.stringContaining('nothing has been imported') },
			problems: [
				{ row: 3, column: 'last_name', message: 'Enter the last name' },
				{ row: 5, column: 'year_group', message: expect.stringContaining('Year 1 to Year 13') },
				{ row: 5, column: 'sen', message: expect.stringContaining('yes or no') }
			]
		});
		expect(await storedPeople()).toEqual([]);
		expect(await auditEvents(t.db, 'young_person.imported')).toEqual([]);
	});

	it('refuses a file that lists one young person twice, naming both rows', async () => {
		const result = await importForOwnSchool(csv('first_name,last_name,year_group', 'Amira,Okafor,Y8', 'Tom,Baker,Y8', 'AMIRA,okafor,8'));
		expect(result).toEqual({
			ok: false,
			code: 'invalid',
			errors: { file: expect.stringContaining('nothing has been imported') },
			problems: [{ row: 4, column: 'last_name', message: expect.stringContaining('row 2') }]
		});
		expect(await storedPeople()).toEqual([]);
	});

	it('matches everyone and adds nothing when the same file comes again, whatever the case', async () => {
		const { school, contact } = await makeSchoolWorld(t.db);
		await importYoungPeople(t.db, contact, school.id, twoPupils, IN_2026_27);
		const again = await importYoungPeople(t.db, contact, school.id, twoPupils.replace('Amira,Okafor', 'AMIRA,OKAFOR'), IN_2026_27);
		expect(again).toMatchObject({ ok: true, counts: { added: 0, matched: 2 } });
		expect(again.ok && again.rows.map((r) => r.outcome)).toEqual(['match', 'match']);
		expect(await storedPeople()).toHaveLength(2);
	});

	it('adds someone of the same name in another year group, or at another school', async () => {
		const { school, contact } = await makeSchoolWorld(t.db);
		await importYoungPeople(t.db, contact, school.id, twoPupils, IN_2026_27);
		const plan = await previewYoungPeopleImport(
			t.db,
			contact,
			school.id,
			csv('first_name,last_name,year_group', 'Amira,Okafor,Y7', 'Tom,Baker,Y9'),
			IN_2026_27
		);
		expect(plan.ok && plan.rows.map((r) => r.outcome)).toEqual(['add', 'match']);
		const elsewhere = await importForOwnSchool(twoPupils);
		expect(elsewhere).toMatchObject({ ok: true, counts: { added: 2, matched: 0 } });
	});

	it("gives another school's contact a 404, audited, and saves nothing", async () => {
		const { school, otherContact } = await makeSchoolWorld(t.db);
		await expect(importYoungPeople(t.db, otherContact, school.id, twoPupils, IN_2026_27)).rejects.toEqual(expect.objectContaining({ status: 404 }));
		expect(await storedPeople()).toEqual([]);
		expect(await auditEvents(t.db, 'access.refused')).toMatchObject([{ actor_id: otherContact.id, entity_id: school.id }]);
	});

	it('refuses report viewers', async () => {
		const { school } = await makeSchoolWorld(t.db);
		const viewer = await makeActor(t.db, { role: 'viewer' });
		await expect(importYoungPeople(t.db, viewer, school.id, twoPupils, IN_2026_27)).rejects.toEqual(expect.objectContaining({ status: 404 }));
	});

	it.each([
		['has no year group column', csv('first_name,last_name', 'Amira,Okafor'), { row: 1, column: 'year_group' }],
		['is empty', '', {}],
		['has only a header row', csv('first_name,last_name,year_group'), {}],
		['has more than 10,000 rows', csv('first_name,last_name,year_group', ...Array.from({ length: 10_001 }, (_, i) => `A${i},B,Y8`)), {}],
		['is larger than 2 MB', csv('first_name,last_name,year_group', `${'A'.repeat(2 * 1024 * 1024)},B,Y8`), {}]
	])('refuses a file that %s', async (_, text, where) => {
		const result = await importForOwnSchool(text);
		expect(result).toEqual({
			ok: false,
			code: 'invalid',
			errors: { file: expect.stringContaining('nothing has been imported') },
			problems: [{ ...where, message: expect.any(String) }]
		});
		expect(await storedPeople()).toEqual([]);
	});

	// Its time is measured by `npm run bench`, not asserted here.
	it('previews and imports 5,000 young people in one go', async () => {
		const { school, contact } = await makeSchoolWorld(t.db);
		const years = ['R', '1', 'Y2', 'Year 3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13'];
		const text = csv('First Name,Surname,Year', ...Array.from({ length: 5000 }, (_, i) => `Pupil${i},Family${i % 97},${years[i % years.length]}`));
		const preview = await previewYoungPeopleImport(t.db, contact, school.id, text, IN_2026_27);
		const result = await importYoungPeople(t.db, contact, school.id, text, IN_2026_27);
		expect(preview.ok).toBe(true);
		expect(result).toMatchObject({ ok: true, counts: { added: 5000, matched: 0 } });
	});
});
