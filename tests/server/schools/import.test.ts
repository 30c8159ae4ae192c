import { describe, expect, it } from 'vitest';
import { importSchools, previewSchoolImport } from '../../../src/lib/server/schools/schools.service';
import { useTestDatabase } from '../../support/database';
import { auditEvents, makeActor } from '../../support/factories';

const t = useTestDatabase();

const csv = (...lines: string[]) => lines.join('\n') + '\n';
const twoSchools = csv('name,urn,phase,town', 'Astor College,118937,secondary,Dover', 'Barton Junior School,,primary,Dover');

const storedSchools = () => t.db.selectFrom('school').select(['name', 'urn', 'phase', 'town']).orderBy('name').execute();

async function importAsAdmin(text: string) {
	return importSchools(t.db, await makeActor(t.db), text);
}

describe('previewSchoolImport', () => {
	it('says what each row would do without saving anything', async () => {
		const plan = await previewSchoolImport(t.db, await makeActor(t.db), twoSchools);
		expect(plan).toMatchObject({
			ok: true,
			rows: [
				{ row: 2, outcome: 'add' },
				{ row: 3, outcome: 'add' }
			]
		});
		expect(await storedSchools()).toEqual([]);
	});
});

describe('importSchools', () => {
	it('adds the schools of a valid file and audits the counts', async () => {
		const result = await importAsAdmin(twoSchools);
		expect(result).toMatchObject({ ok: true, counts: { added: 2, updated: 0, unchanged: 0 } });
		expect(await storedSchools()).toEqual([
			{ name: 'Astor College', urn: '118937', phase: 'secondary', town: 'Dover' },
			{ name: 'Barton Junior School', urn: null, phase: 'primary', town: 'Dover' }
		]);
		expect(await auditEvents(t.db, 'school.imported')).toMatchObject([{ detail: { added: 2, updated: 0, unchanged: 0 } }]);
	});

	it('saves nothing when any row is bad, and names the row and column of each problem', async () => {
		const result = await importAsAdmin(
			csv('name,urn,phase,town', 'Astor College,118937,secondary,Dover', 'Little Acorns,,nursery,Deal', 'Goodwin Academy,12,secondary,Deal')
		);
		expect(result).toEqual({
			ok: false,
			code: 'invalid',
			errors: { file: expect.stringContaining('nothing has been imported') },
			problems: [
				{ row: 3, column: 'phase', message: expect.any(String) },
				{ row: 4, column: 'urn', message: expect.any(String) }
			]
		});
		expect(await storedSchools()).toEqual([]);
	});

	it('asks for an empty phase or town as a cell to fill in, and lists what a wrong one may be', async () => {
		const result = await importAsAdmin(
			csv('name,urn,phase,town', 'Astor College,,,Dover', 'Barton Junior School,,primary,', 'Little Acorns,,nursery,Ramsgate')
		);
		expect(result).toMatchObject({
			ok: false,
			problems: [
				{ row: 2, column: 'phase', message: 'Enter the phase, one of: primary, secondary, all-through, special, college' },
				{ row: 3, column: 'town', message: expect.stringMatching(/^Enter the town, one of: .*Dover/) },
				{ row: 4, column: 'phase', message: 'Phase must be one of: primary, secondary, all-through, special, college' },
				{ row: 4, column: 'town', message: expect.stringMatching(/^Town must be one of: .*Dover/) }
			]
		});
	});

	// The shapes a CSV takes when saved from Excel, LibreOffice or a school's MIS.
	it.each([
		[
			'a UTF-8 byte order mark and CRLF line endings',
			"\uFEFFname,urn,phase,town\r\nSt Mary's CofE Primary School,,primary,Dover\r\n",
			"St Mary's CofE Primary School"
		],
		['semicolons between fields', 'name;urn;phase;town\nÉcole Sainte-Thérèse;;primary;Deal\n', 'École Sainte-Thérèse'],
		['quoted fields holding commas', 'name,urn,phase,town\n"Eastry, Sholden and Worth School",,primary,Rural\n', 'Eastry, Sholden and Worth School']
	])('reads a file with %s', async (_, text, name) => {
		expect(await importAsAdmin(text)).toMatchObject({ ok: true, counts: { added: 1 } });
		expect((await storedSchools()).map((s) => s.name)).toEqual([name]);
	});

	it('leaves every school unchanged when the same file comes again', async () => {
		await importAsAdmin(twoSchools);
		const again = await importAsAdmin(twoSchools);
		expect(again).toMatchObject({ ok: true, counts: { added: 0, updated: 0, unchanged: 2 } });
		expect(again.ok && again.rows.map((r) => r.outcome)).toEqual(['unchanged', 'unchanged']);
		expect(await storedSchools()).toHaveLength(2);
	});

	it('updates a school whose town has changed', async () => {
		await importAsAdmin(twoSchools);
		const moved = await importAsAdmin(twoSchools.replace('Barton Junior School,,primary,Dover', 'Barton Junior School,,primary,Deal'));
		expect(moved.ok && moved.rows.map((r) => r.outcome)).toEqual(['unchanged', 'update']);
		expect((await storedSchools())[1]).toMatchObject({ name: 'Barton Junior School', town: 'Deal' });
	});

	it('refuses a file that lists one school twice, naming both rows', async () => {
		const result = await importAsAdmin(
			csv('name,urn,phase,town', 'Astor College,,secondary,Dover', 'Sandown School,,primary,Deal', 'ASTOR COLLEGE,,secondary,Dover')
		);
		expect(result).toEqual({
			ok: false,
			code: 'invalid',
			errors: { file: expect.stringContaining('nothing has been imported') },
			problems: [{ row: 4, column: 'name', message: expect.stringContaining('row 2') }]
		});
		expect(await storedSchools()).toEqual([]);
	});

	it.each([
		['has no phase column', csv('name,urn,town', 'Astor College,,Dover'), { row: 1, column: 'phase' }],
		['is empty', '', {}],
		['has only a header row', csv('name,urn,phase,town'), {}]
	])('refuses a file that %s', async (_, text, where) => {
		const result = await importAsAdmin(text);
		expect(result).toEqual({
			ok: false,
			code: 'invalid',
			errors: { file: expect.stringContaining('nothing has been imported') },
			problems: [{ ...where, message: expect.any(String) }]
		});
		expect(await auditEvents(t.db, 'school.imported')).toEqual([]);
	});
});
