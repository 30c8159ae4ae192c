import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { importYoungPeople } from '../../../src/lib/server/young-people/young-people.import';
import writeXlsxFile, { type Row } from 'write-excel-file/node';
import { decodeText, readUpload } from '../../../src/lib/server/uploads';
import { useTestDatabase } from '../../support/database';
import { IN_2026_27, makeSchoolWorld } from '../../support/young-people-world';

// Every way a school office's spreadsheet saves a list of names, stored letter for letter.

const t = useTestDatabase();

/** Names with the letters that went wrong: ’ and Š Ž œ live in Windows-1252's 0x80–0x9F. */
const NAMES: [string, string][] = [
	['Šimon', 'Žák'],
	['Zoë', 'O’Connor'],
	['Chloé', 'Lefèvre'],
	['Œdipe', 'Cœur'],
	['Seán', "O'Brien"],
	['Mary-Jane', 'Smith, Jones']
];

const quote = (cell: string, separator: string) => (cell.includes(separator) || cell.includes('"') ? `"${cell.replace(/"/g, '""')}"` : cell);
const table = (separator: string, names = NAMES) =>
	[['First Name', 'Surname', 'Year'], ...names.map(([first, last]) => [first, last, 'Y8'])]
		.map((r) => r.map((c) => quote(c, separator)).join(separator))
		.join('\r\n') + '\r\n';

const FILES: { kind: string; bytes: Uint8Array; encoding: string; names?: [string, string][] }[] = [
	{ kind: 'UTF-8', bytes: Buffer.from(table(','), 'utf8'), encoding: 'UTF-8' },
	{ kind: 'UTF-8 with a byte order mark', bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(table(','), 'utf8')]), encoding: 'UTF-8' },
	{ kind: 'UTF-16 LE (Excel\'s "Unicode text", tab separated)', bytes: iconv.encode(table('\t'), 'utf16le', { addBOM: true }), encoding: 'UTF-16 LE' },
	{ kind: 'UTF-16 BE', bytes: iconv.encode(table(','), 'utf16-be', { addBOM: true }), encoding: 'UTF-16 BE' },
	{ kind: 'Windows-1252 (Excel on Windows, "CSV (Comma delimited)")', bytes: iconv.encode(table(','), 'windows-1252'), encoding: 'Windows-1252' },
	{ kind: 'Windows-1252 with semicolons', bytes: iconv.encode(table(';'), 'windows-1252'), encoding: 'Windows-1252' },
	{ kind: 'UTF-8, tab separated', bytes: Buffer.from(table('\t'), 'utf8'), encoding: 'UTF-8' },
	{
		kind: "UTF-8 with Excel's empty rows and blank lines below the table",
		bytes: Buffer.from(table(',') + ',,\r\n,,\r\n\r\n\r\n', 'utf8'),
		encoding: 'UTF-8'
	},
	{
		kind: 'Windows-1252 with semicolons, and comma-only empty rows below the table',
		bytes: iconv.encode(table(';') + ',,\r\n;;\r\n', 'windows-1252'),
		encoding: 'Windows-1252'
	}
];

async function stored() {
	const rows = await t.db.selectFrom('young_person').select(['first_name', 'last_name']).orderBy('created_at').orderBy('first_name').execute();
	return rows.map((r) => [r.first_name, r.last_name]);
}

describe('importing the files a school office has', () => {
	it.each(FILES)('stores every name of a $kind file byte for byte', async ({ bytes, encoding, names = NAMES }) => {
		const decoded = decodeText(bytes);
		if (!('text' in decoded)) throw new Error(decoded.problem);
		expect(decoded.encoding).toBe(encoding);
		const { school, contact } = await makeSchoolWorld(t.db);
		const result = await importYoungPeople(t.db, contact, school.id, decoded.text, IN_2026_27);
		expect(result).toMatchObject({ ok: true, counts: { added: names.length } });
		const kept = await stored();
		expect(kept.map(([f, l]) => Buffer.from(`${f}|${l}`).toString('hex')).sort()).toEqual(
			names.map(([f, l]) => Buffer.from(`${f}|${l}`).toString('hex')).sort()
		);
	});

	it('reads ’ Š Ž œ from Windows-1252 as the letters, where TextDecoder would give control characters', () => {
		const bytes = Uint8Array.from([0x92, 0x8a, 0x8e, 0x9c]);
		expect(decodeText(bytes)).toEqual({ text: '’ŠŽœ', encoding: 'Windows-1252' });
		expect(new TextDecoder('windows-1252').decode(bytes)).not.toBe('’ŠŽœ');
	});

	it('refuses a file that fits none of the encodings, naming its line', () => {
		const bytes = Buffer.concat([Buffer.from('first_name,last_name,year_group\r\nAmira,Ok', 'latin1'), Buffer.from([0x81]), Buffer.from('afor,Y8\r\n')]);
		expect(decodeText(bytes)).toEqual({ problem: expect.stringMatching(/not in UTF-8, UTF-16 or Windows-1252 \(line 2\)/) });
	});

	it('refuses a binary file and a broken UTF-8 file that has a byte order mark', () => {
		expect(decodeText(Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 0, 0]))).toEqual({ problem: expect.stringMatching(/not a text file/) });
		expect(decodeText(Uint8Array.from([0xef, 0xbb, 0xbf, 0x41, 0xc3]))).toEqual({ problem: expect.stringMatching(/says it is UTF-8 but is not/) });
		expect(decodeText(Uint8Array.from([0xff, 0xfe, 0x41]))).toEqual({ problem: expect.stringMatching(/UTF-16 LE but ends half-way/) });
	});

	it('refuses an empty upload and a file that is not a CSV by name', async () => {
		expect(await readUpload(new File([], 'list.csv'), 1024)).toEqual({ problem: 'Select a CSV file or an Excel workbook' });
		expect(await readUpload(new File(['x'], 'list.pdf'), 1024)).toEqual({ problem: expect.stringMatching(/must be a CSV file or an Excel workbook/) });
		expect(await readUpload(new File(['x'], 'list.xls'), 1024)).toEqual({ problem: expect.stringMatching(/old Excel 97-2003 workbook/) });
		expect(await readUpload(new File(['x'.repeat(2048)], 'list.csv'), 1024)).toEqual({ problem: expect.stringMatching(/smaller than/) });
	});

	it('refuses a control character with its row and column, and saves nothing', async () => {
		const { school, contact } = await makeSchoolWorld(t.db);
		const text = 'first_name,last_name,year_group\r\nAmira,Okafor,Y8\r\nZo\u0092e,Brown,Y8\r\nTom,Ba\u0000ker,Y9\r\n';
		const result = await importYoungPeople(t.db, contact, school.id, text, IN_2026_27);
		expect(result).toMatchObject({
			ok: false,
			code: 'invalid',
			problems: [
				{ row: 3, column: 'first_name', message: expect.stringMatching(/control character/) },
				{ row: 4, column: 'last_name', message: expect.stringMatching(/control character/) }
			]
		});
		expect(await stored()).toEqual([]);
	});
});

const workbook = (sheets: { sheet: string; data: Row[] }[]) => writeXlsxFile(sheets).toBuffer();
const nameRows = (names = NAMES): Row[] => [
	['First Name', 'Surname', 'Year'].map((value) => ({ value })),
	...names.map(([first, last]) => [{ value: first }, { value: last }, { value: 8 }])
];
const upload = (bytes: Uint8Array, name: string) => new File([new Uint8Array(bytes)], name);

describe('importing an Excel workbook', () => {
	it('stores every name of the first sheet byte for byte, numbers as year groups', async () => {
		const read = await readUpload(upload(await workbook([{ sheet: 'Pupils', data: nameRows() }]), 'Year 8.xlsx'), 2 * 1024 * 1024);
		if (!('text' in read)) throw new Error(JSON.stringify(read));
		expect(read.format).toEqual({ kind: 'xlsx', sheet: 'Pupils', sheets: ['Pupils'] });
		const { school, contact } = await makeSchoolWorld(t.db);
		expect(await importYoungPeople(t.db, contact, school.id, read.text, IN_2026_27)).toMatchObject({ ok: true, counts: { added: NAMES.length } });
		expect((await stored()).map(([f, l]) => `${f}|${l}`).sort()).toEqual(NAMES.map(([f, l]) => `${f}|${l}`).sort());
	});

	it('reads the sheet the person chose, and refuses one the workbook does not have', async () => {
		const bytes = await workbook([
			{ sheet: 'Notes', data: [[{ value: 'Exported from the MIS' }]] },
			{ sheet: 'Year 8', data: nameRows([['Zoë', 'O’Connor']]) }
		]);
		const read = await readUpload(upload(bytes, 'export.xlsx'), 1024 * 1024, { sheet: 'Year 8' });
		expect(read).toMatchObject({
			format: { kind: 'xlsx', sheet: 'Year 8', sheets: ['Notes', 'Year 8'] },
			text: 'First Name,Surname,Year\r\nZoë,O’Connor,8\r\n'
		});
		expect(await readUpload(upload(bytes, 'export.xlsx'), 1024 * 1024, { sheet: 'Year 9' })).toEqual({ problem: 'The workbook has no sheet called "Year 9"' });
	});

	it("keeps Excel's row numbers, empty rows included, so a problem names the row Excel shows", async () => {
		const data = nameRows([['Amira', 'Okafor']]);
		data.push([null, null, null], [{ value: 'Tom' }, null, { value: 8 }]);
		const read = await readUpload(upload(await workbook([{ sheet: 'Sheet1', data }]), 'list.xlsx'), 1024 * 1024);
		if (!('text' in read)) throw new Error(JSON.stringify(read));
		const { school, contact } = await makeSchoolWorld(t.db);
		expect(await importYoungPeople(t.db, contact, school.id, read.text, IN_2026_27)).toMatchObject({ ok: false, problems: [{ row: 4, column: 'last_name' }] });
		expect(await stored()).toEqual([]);
	});

	it('refuses formulas and merged cells, naming each cell', async () => {
		const data = nameRows([['Amira', 'Okafor']]);
		data.push([{ value: 'B2', type: 'Formula' }, { value: 'Baker' }, { value: 8 }]);
		data.push([{ value: 'Sam Lee', columnSpan: 2 }, null, { value: 9 }]);
		const read = await readUpload(upload(await workbook([{ sheet: 'Sheet1', data }]), 'list.xlsx'), 1024 * 1024);
		expect(read).toEqual({
			problems: [
				{ row: 3, column: 'column A', message: expect.stringMatching(/formula/) },
				{ row: 4, column: 'column A', message: expect.stringMatching(/merged/) }
			]
		});
	});

	it('refuses a file that is not a workbook', async () => {
		expect(await readUpload(upload(Buffer.from('first_name,last_name\n'), 'list.xlsx'), 1024)).toEqual({
			problem: expect.stringMatching(/could not be read as an Excel workbook/)
		});
	});
});
