// Times the preview and the import of a generated 5,000-row young people CSV for one school,
// then the preview of the same file again (every row a match), against a migrated PostgreSQL
// database. Target: under 5 seconds for preview plus import.
// `npx tsx -e "import('./src/cli/bench/young-people-import.ts').then(async m => console.log(await m.benchYoungPeopleImport(process.env.DATABASE_URL)))"`
//
// It adds its own school, contact and 5,000 made-up young people (named "Bench ... <run>")
// and leaves them there: use a throwaway database.
import { performance } from 'node:perf_hooks';
import type { Actor } from '../../lib/server/auth/session';
import { openDatabase } from '../../lib/server/db/database';
import { insertSchool } from '../../lib/server/schools/schools.queries';
import { insertUser } from '../../lib/server/users/users.queries';
import { importYoungPeople, previewYoungPeopleImport } from '../../lib/server/young-people/young-people.import';
import iconv from 'iconv-lite';
import writeXlsxFile from 'write-excel-file/node';
import { readUpload } from '../../lib/server/uploads';

const ROWS = 5000;
const TARGET_MS = 5000;

export async function benchYoungPeopleImport(url: string): Promise<{ name: string; figure: string }[]> {
	const database = await openDatabase({ kind: 'postgres', url });
	try {
		const db = database.db;
		const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
		const school = await insertSchool(db, { name: `Bench School ${run}`, urn: null, phase: 'all-through', town: 'Dover' });
		const email = `bench-${run}-school@example.org`;
		const user = await insertUser(db, { email, name: `Bench contact ${run}`, role: 'school', schoolId: school.id, status: 'invited' });
		const contact: Actor = { id: user.id, email, name: `Bench contact ${run}`, role: 'school', schoolId: school.id, address: '192.0.2.250' };

		// Office software's shapes: a BOM, CRLF, aliased headers and year groups written several ways.
		const years = ['R', '1', 'Y2', 'Year 3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13'];
		const lines = Array.from({ length: ROWS }, (_, i) => `Bench${i};O’Neill-${run}-${i % 97};${years[i % years.length]}`);
		const text = `\uFEFFFirst Name;Surname;Year\r\n${lines.join('\r\n')}\r\n`;
		const now = new Date();

		const timed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
			const start = performance.now();
			const result = await work();
			return [result, performance.now() - start];
		};
		const [preview, previewMs] = await timed(() => previewYoungPeopleImport(db, contact, school.id, text, now));
		if (!preview.ok) throw new Error(`The benchmark file was refused: ${JSON.stringify(preview).slice(0, 500)}`);
		const [result, importMs] = await timed(() => importYoungPeople(db, contact, school.id, text, now));
		if (!result.ok || result.counts.added !== ROWS) throw new Error('The benchmark import did not add every row');
		const [again, againMs] = await timed(() => previewYoungPeopleImport(db, contact, school.id, text, now));
		const matched = again.ok ? again.rows.filter((r) => r.outcome === 'match').length : 0;

		// The same rows as Excel on Windows saves them (Windows-1252 CSV), and as a workbook.
		const fromFile = async (bytes: Uint8Array, fileName: string) => {
			const read = await readUpload(new File([new Uint8Array(bytes)], fileName), 2 * 1024 * 1024);
			if (!('text' in read)) throw new Error(`The benchmark ${fileName} was refused: ${JSON.stringify(read).slice(0, 300)}`);
			const plan = await previewYoungPeopleImport(db, contact, school.id, read.text, now);
			if (!plan.ok || plan.rows.some((r) => r.outcome !== 'match')) throw new Error(`The benchmark ${fileName} did not match every row`);
		};
		const windows = iconv.encode(text.replace(/^\uFEFF/, ''), 'windows-1252');
		const [, windowsMs] = await timed(() => fromFile(windows, 'list.csv'));
		const rows = [['First Name', 'Surname', 'Year'], ...lines.map((line) => line.split(';'))].map((row) => row.map((value) => ({ value })));
		const xlsx = await writeXlsxFile(rows).toBuffer();
		const [, xlsxMs] = await timed(() => fromFile(xlsx, 'list.xlsx'));

		const ms = (value: number) => `${Math.round(value)} ms`;
		const total = previewMs + importMs;
		return [
			{ name: `young people import: preview of ${ROWS} rows`, figure: ms(previewMs) },
			{ name: `young people import: import of ${ROWS} rows`, figure: ms(importMs) },
			{ name: `young people import: preview + import (target < ${TARGET_MS} ms)`, figure: `${ms(total)}${total < TARGET_MS ? '' : ' (over target)'}` },
			{ name: `young people import: re-preview, ${matched} of ${ROWS} matched`, figure: ms(againMs) },
			{ name: `young people import: read + preview, Windows-1252 CSV (${Math.round(windows.length / 1024)} KB)`, figure: ms(windowsMs) },
			{ name: `young people import: read + preview, Excel workbook (${Math.round(xlsx.length / 1024)} KB)`, figure: ms(xlsxMs) }
		];
	} finally {
		await database.close();
	}
}
