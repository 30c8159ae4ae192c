import { inflateRawSync } from 'node:zlib';
import readXlsxFile from 'read-excel-file/node';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../../src/lib/server/csv';
import { CSV_CONTENT_TYPE, toCsv } from '../../../src/lib/server/exports/csv';
import { escapeFormula, exportText } from '../../../src/lib/server/exports/formula';
import { toXlsx, XLSX_CONTENT_TYPE } from '../../../src/lib/server/exports/xlsx';

/** The files inside a zip (an XLSX is one), read from its central directory. */
function unzip(buffer: Buffer): Map<string, string> {
	const files = new Map<string, string>();
	const end = buffer.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
	let at = buffer.readUInt32LE(end + 16);
	for (let n = buffer.readUInt16LE(end + 10); n > 0; n--) {
		const method = buffer.readUInt16LE(at + 10);
		const size = buffer.readUInt32LE(at + 20);
		const nameLength = buffer.readUInt16LE(at + 28);
		const skip = nameLength + buffer.readUInt16LE(at + 30) + buffer.readUInt16LE(at + 32);
		const name = buffer.toString('utf8', at + 46, at + 46 + nameLength);
		const local = buffer.readUInt32LE(at + 42);
		const start = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28);
		const data = buffer.subarray(start, start + size);
		files.set(name, (method === 8 ? inflateRawSync(data) : data).toString('utf8'));
		at += 46 + skip;
	}
	return files;
}

describe('escapeFormula', () => {
	it('puts a quote before text that a spreadsheet would run', () => {
		for (const text of ['=1+1', '+44 1304 000000', '-2+3', '@SUM(A1:A2)', '\t=1', '\r=1', '=HYPERLINK("http://x","y")']) {
			expect(escapeFormula(text), JSON.stringify(text)).toBe(`'${text}`);
		}
	});

	it('leaves other text alone', () => {
		for (const text of ['Dover Grammar', 'St Mary’s', '', ' =1', '1-2', 'a=b', "'quoted", '\n=1']) {
			expect(escapeFormula(text), JSON.stringify(text)).toBe(text);
		}
	});

	it('keeps numbers, negative ones too, as numbers, and empties what cannot be written', () => {
		expect(exportText(-5)).toBe('-5');
		expect(exportText(12.5)).toBe('12.5');
		expect(exportText(-0)).toBe('0');
		expect(exportText('-5')).toBe("'-5");
		expect(exportText(Number.NaN)).toBe('');
		expect(exportText(Number.POSITIVE_INFINITY)).toBe('');
		expect(exportText(null)).toBe('');
		expect(exportText(undefined)).toBe('');
	});
});

describe('toCsv', () => {
	const table = {
		header: ['School', 'Town', 'Attended', 'Change', 'Note'],
		rows: [
			['Astor College, Dover', 'Dover', 802, -3, 'said "brilliant"'],
			['Zoë’s Academy', 'Sandwich', 'c', 1.5, 'two\r\nlines'],
			['=cmd|" /C calc"!A0', '@home', 0, null, '-1+1'],
			['Deal Parochial', 'Deal', undefined, Number.NaN, 'ends with a newline\n']
		]
	};
	const csv = toCsv(table);

	it('starts with a byte order mark and ends every record with CRLF', () => {
		expect(CSV_CONTENT_TYPE).toBe('text/csv; charset=utf-8');
		expect([...Buffer.from(csv, 'utf8').subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		expect(csv.startsWith('\uFEFFSchool,Town,Attended,Change,Note\r\n')).toBe(true);
		expect(csv.endsWith('\r\n')).toBe(true);
		expect(csv.replace(/"[^"]*"/g, '').match(/\r\n/g)).toHaveLength(5);
		expect(csv.replace(/"[^"]*"/g, '')).not.toMatch(/[^\r]\n/);
	});

	it('quotes commas, quotes and line breaks, and escapes formulas inside the quotes', () => {
		expect(csv).toContain('\r\n"Astor College, Dover",Dover,802,-3,"said ""brilliant"""\r\n');
		expect(csv).toContain('\r\nZoë’s Academy,Sandwich,c,1.5,"two\r\nlines"\r\n');
		expect(csv).toContain(`\r\n"'=cmd|"" /C calc""!A0",'@home,0,,'-1+1\r\n`);
		expect(csv).toContain('\r\nDeal Parochial,Deal,,,"ends with a newline\n"\r\n');
	});

	it('reads back, accents and all, through the CSV reader the imports use', () => {
		const read = readCsv(csv, 1024 * 1024);
		if (!read.ok) throw new Error(JSON.stringify(read));
		expect(read.records.map((r) => r.cells)).toEqual([
			['School', 'Town', 'Attended', 'Change', 'Note'],
			['Astor College, Dover', 'Dover', '802', '-3', 'said "brilliant"'],
			['Zoë’s Academy', 'Sandwich', 'c', '1.5', 'two\r\nlines'],
			[`'=cmd|" /C calc"!A0`, "'@home", '0', '', "'-1+1"],
			['Deal Parochial', 'Deal', '', '', 'ends with a newline\n']
		]);
	});
});

describe('toXlsx', () => {
	const sheets = [
		{
			name: 'PCC return',
			header: ['Programme', 'Young people', 'Change', '=Priority'],
			rows: [
				['Youth Conference', 802, -0.25, 'Safer communities'],
				['Arts project – Astor College', 'c', null, '+1 for outreach'],
				['=HYPERLINK("http://example.com","click")', 14, 3.5, '\tindented']
			]
		},
		{
			name: 'Notes & sources',
			header: ['Note'],
			rows: [['Counts of 1 to 4 are shown as c'], ['Élan: -5 is text here'], ['-5']],
			widths: [40]
		}
	];

	it('writes two named sheets that read back with numbers as numbers and escaped text still escaped', async () => {
		const buffer = await toXlsx(sheets);
		expect(Buffer.isBuffer(buffer)).toBe(true);
		expect(XLSX_CONTENT_TYPE).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
		const workbook = await readXlsxFile(buffer, { trim: false });
		expect(workbook.map((s) => s.sheet)).toEqual(['PCC return', 'Notes & sources']);
		expect(workbook[0]!.data).toEqual([
			['Programme', 'Young people', 'Change', "'=Priority"],
			['Youth Conference', 802, -0.25, 'Safer communities'],
			['Arts project – Astor College', 'c', null, "'+1 for outreach"],
			[`'=HYPERLINK("http://example.com","click")`, 14, 3.5, "'\tindented"]
		]);
		expect(typeof workbook[0]!.data[1]![2]).toBe('number');
		expect(workbook[1]!.data).toEqual([['Note'], ['Counts of 1 to 4 are shown as c'], ['Élan: -5 is text here'], ["'-5"]]);
	});

	it('stores text as text, never as a formula, with a bold frozen header and column widths', async () => {
		const files = unzip(await toXlsx(sheets));
		const first = files.get('xl/worksheets/sheet1.xml')!;
		const second = files.get('xl/worksheets/sheet2.xml')!;
		expect(first).not.toMatch(/<f[ >]/);
		expect(files.get('xl/sharedStrings.xml')).toMatch(/<t[^>]*>(?:'|&apos;)=HYPERLINK/);
		// Header cells share one style, and that style's font is bold.
		const headerStyle = first.match(/<c r="A1" s="(\d+)"/)?.[1];
		expect(headerStyle).toBeDefined();
		expect(first.match(/<c r="[A-D]1" s="(\d+)"/g)).toHaveLength(4);
		const styles = files.get('xl/styles.xml')!;
		const fontOfStyle = [...styles.matchAll(/<xf\b([^>]*)>/g)].map((m) => Number(m[1]!.match(/fontId="(\d+)"/)?.[1] ?? 0));
		const fonts = [...styles.matchAll(/<font>(.*?)<\/font>/g)].map((m) => m[1]);
		expect(fonts[fontOfStyle[Number(headerStyle)]!]).toContain('<b/>');
		expect(first).toMatch(/<c r="A2" t="s">/);
		expect(first).toMatch(/<pane [^>]*ySplit="1"[^>]*state="frozen"/);
		// The escaped HYPERLINK text is 41 characters, 'Young people' 12: each plus 2.
		expect(first).toContain('<col min="1" max="1" width="43" customWidth="1"/>');
		expect(first).toContain('<col min="2" max="2" width="14" customWidth="1"/>');
		expect(second).toContain('<col min="1" max="1" width="40" customWidth="1"/>');
	});

	it('refuses sheet names Excel would refuse', async () => {
		const sheet = { header: ['A'], rows: [] };
		await expect(toXlsx([])).rejects.toThrow('at least one sheet');
		await expect(toXlsx([{ ...sheet, name: 'Return 2018/19' }])).rejects.toThrow(RangeError);
		await expect(toXlsx([{ ...sheet, name: 'x'.repeat(32) }])).rejects.toThrow('1 to 31 characters');
		await expect(toXlsx([{ ...sheet, name: "'Quoted'" }])).rejects.toThrow('apostrophe');
		await expect(
			toXlsx([
				{ ...sheet, name: 'Schools' },
				{ ...sheet, name: 'SCHOOLS' }
			])
		).rejects.toThrow('used twice');
	});
});
