import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { giasPhase } from '../../../src/lib/server/schools/schools.import';
import { importSchools, previewSchoolImport } from '../../../src/lib/server/schools/schools.service';
import { decodeText } from '../../../src/lib/server/uploads';
import { useTestDatabase } from '../../support/database';
import { makeActor } from '../../support/factories';

// The DfE's "Get Information about Schools" establishment download, as it comes: Windows-1252,
// a hundred and more columns, every district of the country, closed schools included.

const t = useTestDatabase();

const COLUMNS = [
	'URN',
	'LA (code)',
	'LA (name)',
	'EstablishmentNumber',
	'EstablishmentName',
	'TypeOfEstablishment (name)',
	'EstablishmentTypeGroup (name)',
	'EstablishmentStatus (name)',
	'ReasonEstablishmentOpened (name)',
	'OpenDate',
	'PhaseOfEducation (name)',
	'StatutoryLowAge',
	'StatutoryHighAge',
	'Boarders (name)',
	'OfficialSixthForm (name)',
	'Gender (name)',
	'ReligiousCharacter (name)',
	'NumberOfPupils',
	'Street',
	'Locality',
	'Town',
	'County (name)',
	'Postcode',
	'SchoolWebsite',
	'TelephoneNum',
	'HeadFirstName',
	'HeadLastName',
	'DistrictAdministrative (name)',
	'AdministrativeWard (name)',
	'ParliamentaryConstituency (name)',
	...Array.from({ length: 120 }, (_, i) => `Extra column ${i + 1}`)
];

type School = { urn: string; name: string; type: string; status: string; phase: string; low: number; high: number; town: string; district: string };
const SCHOOLS: School[] = [
	{
		urn: '118860',
		name: 'St Mary’s Catholic Primary School',
		type: 'Voluntary aided school',
		status: 'Open',
		phase: 'Primary',
		low: 4,
		high: 11,
		town: 'Deal',
		district: 'Dover'
	},
	{
		urn: '137470',
		name: 'Dover Grammar School for Girls',
		type: 'Academy converter',
		status: 'Open',
		phase: 'Secondary',
		low: 11,
		high: 18,
		town: 'Dover',
		district: 'Dover'
	},
	{
		urn: '118995',
		name: 'Whitfield Aspen School',
		type: 'Community special school',
		status: 'Open',
		phase: 'Not applicable',
		low: 2,
		high: 19,
		town: 'Dover',
		district: 'Dover'
	},
	{
		urn: '145678',
		name: 'Goodwin Academy',
		type: 'Academy sponsor led',
		status: 'Open, but proposed to close',
		phase: 'Secondary',
		low: 11,
		high: 18,
		town: 'Deal',
		district: 'Dover'
	},
	{
		urn: '118777',
		name: 'Aylesham Primary School',
		type: 'Community school',
		status: 'Open',
		phase: 'Primary',
		low: 4,
		high: 11,
		town: 'Canterbury',
		district: 'Dover'
	},
	{
		urn: '148001',
		name: 'Sandwich Technology School',
		type: 'Academy converter',
		status: 'Open',
		phase: 'Not applicable',
		low: 11,
		high: 18,
		town: 'Sandwich',
		district: 'Dover'
	},
	{ urn: '100001', name: 'Old Park School', type: 'Community school', status: 'Closed', phase: 'Primary', low: 4, high: 11, town: 'Dover', district: 'Dover' },
	{
		urn: '118500',
		name: 'Chatham & Clarendon Grammar School',
		type: 'Academy converter',
		status: 'Open',
		phase: 'Secondary',
		low: 11,
		high: 18,
		town: 'Ramsgate',
		district: 'Thanet'
	}
];

function extract(schools: School[]): string {
	const line = (s: School) => {
		const cells = Object.fromEntries(COLUMNS.map((c) => [c, '']));
		Object.assign(cells, {
			URN: s.urn,
			'LA (code)': '886',
			'LA (name)': 'Kent',
			EstablishmentName: s.name,
			'TypeOfEstablishment (name)': s.type,
			'EstablishmentStatus (name)': s.status,
			'PhaseOfEducation (name)': s.phase,
			StatutoryLowAge: String(s.low),
			StatutoryHighAge: String(s.high),
			Town: s.town,
			'County (name)': 'Kent',
			HeadFirstName: 'Zoë',
			HeadLastName: 'O’Connor',
			'DistrictAdministrative (name)': s.district
		});
		return COLUMNS.map((c) => (/[",]/.test(cells[c]!) ? `"${cells[c]}"` : cells[c])).join(',');
	};
	return [COLUMNS.join(','), ...schools.map(line)].join('\r\n') + '\r\n';
}

/** The file as GIAS serves it, then as the upload decodes it. */
function asUploaded(text: string): string {
	const decoded = decodeText(iconv.encode(text, 'windows-1252'));
	if (!('text' in decoded)) throw new Error(decoded.problem);
	expect(decoded.encoding).toBe('Windows-1252');
	return decoded.text;
}

const stored = () => t.db.selectFrom('school').select(['urn', 'name', 'phase', 'town']).orderBy('urn').execute();

describe('importing the DfE establishment download', () => {
	it("takes the district's open schools, with phases and towns in the partnership's terms", async () => {
		const admin = await makeActor(t.db);
		const plan = await previewSchoolImport(t.db, admin, asUploaded(extract(SCHOOLS)));
		expect(plan).toMatchObject({ ok: true, gias: { district: 'Dover', districts: ['Dover', 'Thanet'], closed: 1, otherDistricts: 1 } });
		expect(await importSchools(t.db, admin, asUploaded(extract(SCHOOLS)))).toMatchObject({ ok: true, counts: { added: 6 } });
		expect(await stored()).toEqual([
			{ urn: '118777', name: 'Aylesham Primary School', phase: 'primary', town: 'Rural' },
			{ urn: '118860', name: 'St Mary’s Catholic Primary School', phase: 'primary', town: 'Deal' },
			{ urn: '118995', name: 'Whitfield Aspen School', phase: 'special', town: 'Dover' },
			{ urn: '137470', name: 'Dover Grammar School for Girls', phase: 'secondary', town: 'Dover' },
			{ urn: '145678', name: 'Goodwin Academy', phase: 'secondary', town: 'Deal' },
			{ urn: '148001', name: 'Sandwich Technology School', phase: 'secondary', town: 'Sandwich' }
		]);
	});

	it('updates by URN when a newer download renames a school, adding nothing', async () => {
		const admin = await makeActor(t.db);
		await importSchools(t.db, admin, asUploaded(extract(SCHOOLS)));
		const renamed = SCHOOLS.map((s) => (s.urn === '145678' ? { ...s, name: 'Goodwin Academy Deal' } : s));
		expect(await importSchools(t.db, admin, asUploaded(extract(renamed)))).toMatchObject({ ok: true, counts: { added: 0, updated: 1, unchanged: 5 } });
		expect((await stored()).find((s) => s.urn === '145678')?.name).toBe('Goodwin Academy Deal');
	});

	it('reads another district when asked, and says so when the district has no open schools', async () => {
		const admin = await makeActor(t.db);
		expect(await previewSchoolImport(t.db, admin, asUploaded(extract(SCHOOLS)), { district: 'thanet' })).toMatchObject({
			ok: true,
			rows: [{ input: { urn: '118500', name: 'Chatham & Clarendon Grammar School', phase: 'secondary', town: 'Rural' } }],
			gias: { district: 'Thanet', otherDistricts: 7 }
		});
		expect(await previewSchoolImport(t.db, admin, asUploaded(extract(SCHOOLS)), { district: 'Swale' })).toMatchObject({
			ok: false,
			problems: [{ message: expect.stringMatching(/no open schools in the district "Swale"/) }]
		});
	});

	it('names a missing column of a cut-down download', async () => {
		const text = extract(SCHOOLS).replace('DistrictAdministrative (name)', 'District');
		expect(await previewSchoolImport(t.db, await makeActor(t.db), asUploaded(text))).toMatchObject({
			ok: false,
			problems: [{ row: 1, column: 'DistrictAdministrative (name)' }]
		});
	});
});

describe('giasPhase', () => {
	it.each([
		['Primary', 'Community school', 4, 11, 'primary'],
		['Middle deemed secondary', 'Foundation school', 9, 13, 'secondary'],
		['All-through', 'Academy converter', 4, 18, 'all-through'],
		['16 plus', 'Sixth form centres', 16, 19, 'college'],
		['Not applicable', 'Further education', 16, 99, 'college'],
		['Not applicable', 'Pupil referral unit', 5, 16, 'all-through'],
		['Not applicable', 'Academy special converter', 11, 19, 'special'],
		['Not applicable', 'Other independent school', 11, 16, 'secondary'],
		['Nursery', 'LA nursery school', 2, 5, 'primary']
	])('maps %s (%s, %i–%i) to %s', (phase, type, low, high, expected) => {
		expect(giasPhase(phase, type, low, high)).toBe(expected);
	});
});
