// `npm run bench:memory`: the server's memory on the two heaviest things a user can ask of it,
// on the embedded database and on PostgreSQL. It starts the built app as `npm start` does, with
// the same heap flags (read from package.json), signs in as the demo school contact, and then:
// previews a 5,000-row young people import (the preview page lists every row), adds 20,000
// young people to the school (two 10,000-row imports), and downloads the school's young people
// as an Excel workbook of 20,000 rows and more. It prints the server process's resident memory
// after start and its peak during the preview and during the export (Linux: VmHWM, reset
// before each step through /proc/<pid>/clear_refs). Figures, not pass or fail: read them.
//
// The embedded database is made in a temporary directory and PostgreSQL's in a throwaway
// database on the server of BENCH_DATABASE_URL (default: the local server); both are removed
// afterwards. BENCH_PORT (default 4393) is the port the app listens on. Build the app first
// (`npm run build`): otherwise start.js builds it, which is timed as starting.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import readExcelFile from 'read-excel-file/node';
import { openDatabase } from '../../lib/server/db/database';
import { migrateToLatest } from '../../lib/server/db/migrate';
import { seedDemo } from '../../lib/server/demo/seed';
import { startFlags } from './app-server';

const PORT = Number(process.env.BENCH_PORT || 4393);
const ORIGIN = `http://localhost:${PORT}`;
const PREVIEW_ROWS = 5_000;
const EXPORT_ROWS = 20_000;
/** The import takes at most 10,000 young people at a time. */
const IMPORT_BATCH = 10_000;
const EMAIL = 'school@demo.test';
const PASSWORD = 'demo-password-2019';

const root = new URL('../../..', import.meta.url).pathname;
/** `npm start`'s Node flags, all of them (the heap's limit and how it grows), so the bench runs the server as it is run. */
const nodeFlags = startFlags();

type Row = { name: string; figure: string };

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
	const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	if (!match) throw new Error(`No ${field} for process ${pid}`);
	return Number(match[1]);
}

const mb = (kb: number) => `${Math.round(kb / 1024)} MB`;

/** The process's peak resident memory while `work` runs. */
async function peakDuring<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; peakKb: number; ms: number }> {
	// 5 resets the peak resident set size (VmHWM) to the current one (Linux 4.0 and later).
	writeFileSync(`/proc/${pid}/clear_refs`, '5');
	const started = performance.now();
	const result = await work();
	return { result, peakKb: statusKb(pid, 'VmHWM'), ms: performance.now() - started };
}

async function startServer(env: Record<string, string | undefined>): Promise<ChildProcess> {
	const server = spawn(process.execPath, [...nodeFlags, 'src/cli/start.js'], {
		cwd: root,
		env: { ...process.env, ...env, PORT: String(PORT), ORIGIN, SMTP_URL: '', LOG_LEVEL: 'warn' },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	for (let i = 0; i < 480; i++) {
		if (server.exitCode !== null) throw new Error(`The app exited with ${server.exitCode} while starting`);
		try {
			if ((await fetch(`${ORIGIN}/sign-in`)).ok) return server;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 500));
	}
	server.kill();
	throw new Error('The app did not start within four minutes');
}

async function stopServer(server: ChildProcess): Promise<void> {
	if (server.exitCode !== null) return;
	const exited = once(server, 'exit');
	server.kill('SIGTERM');
	const stopped = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 15_000))]);
	if (!stopped) {
		server.kill('SIGKILL');
		await exited;
	}
}

async function signIn(): Promise<string> {
	const response = await fetch(`${ORIGIN}/sign-in`, {
		method: 'POST',
		headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ email: EMAIL, password: PASSWORD }),
		redirect: 'manual'
	});
	const session = /session=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1];
	if (!session) throw new Error(`Signing in as ${EMAIL} gave no session (${response.status})`);
	return `session=${session}`;
}

/** Made-up young people, as a school office's CSV: `Memory<i>` and a surname of the run. */
function peopleCsv(run: string, from: number, count: number): string {
	const years = ['7', '8', '9', '10', '11'];
	const lines = Array.from({ length: count }, (_, k) => `Memory${from + k},Bench-${run}-${(from + k) % 97},${years[(from + k) % years.length]}`);
	return `First Name,Surname,Year\r\n${lines.join('\r\n')}\r\n`;
}

/** One run on one database: the app started on it, driven, and stopped. */
async function measure(label: string, env: Record<string, string | undefined>): Promise<Row[]> {
	const started = performance.now();
	const server = await startServer(env);
	try {
		const pid = server.pid!;
		const startMs = performance.now() - started;
		const cookie = await signIn();
		const dashboard = await (await fetch(`${ORIGIN}/dashboard`, { headers: { cookie } })).text();
		const schoolId = /href="\/schools\/([^"/?]+)"/.exec(dashboard)?.[1];
		if (!schoolId) throw new Error('The school contact’s dashboard links to no school');
		const afterStartKb = statusKb(pid, 'VmRSS');
		const run = Date.now().toString(36);

		const preview = await peakDuring(pid, async () => {
			const form = new FormData();
			form.set('file', new File([peopleCsv(`${run}p`, 0, PREVIEW_ROWS)], 'young-people.csv', { type: 'text/csv' }));
			// As a browser posts the form without JavaScript: the answer is the page, every row in it.
			const response = await fetch(`${ORIGIN}/young-people/import?/preview`, {
				method: 'POST',
				headers: { origin: ORIGIN, cookie, accept: 'text/html' },
				body: form
			});
			const html = await response.text();
			if (response.status !== 200 || !html.includes('name="csv"'))
				throw new Error(
					`The ${PREVIEW_ROWS}-row preview was refused (${response.status}): ${html.match(/govuk-error-summary__list.{0,400}/s)?.[0] ?? html.slice(0, 300)}`
				);
			return html.length;
		});

		for (let from = 0; from < EXPORT_ROWS; from += IMPORT_BATCH) {
			const response = await fetch(`${ORIGIN}/young-people/import?/confirm`, {
				method: 'POST',
				headers: { origin: ORIGIN, cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ csv: peopleCsv(run, from, IMPORT_BATCH) }),
				redirect: 'manual'
			});
			if (response.status !== 303) throw new Error(`Importing young people ${from + 1} to ${from + IMPORT_BATCH} failed (${response.status})`);
		}

		const exported = await peakDuring(pid, async () => {
			const response = await fetch(`${ORIGIN}/schools/${schoolId}/records/young-people.xlsx`, { headers: { cookie } });
			const bytes = await response.arrayBuffer();
			if (response.status !== 200) throw new Error(`The export failed (${response.status})`);
			return bytes;
		});
		// Read back (outside the measured step): every young person is in the workbook.
		const sheets = (await readExcelFile(Buffer.from(exported.result))) as { data: unknown[][] }[];
		const people = (sheets[0]?.data.length ?? 1) - 1;
		if (people < EXPORT_ROWS) throw new Error(`The export holds ${people} young people, not ${EXPORT_ROWS} or more`);

		const ms = (value: number) => `${Math.round(value)} ms`;
		return [
			{ name: `${label}: RSS after start and sign-in (${env.DATABASE_URL ? '' : 'database made, '}ready in ${ms(startMs)})`, figure: mb(afterStartKb) },
			{
				name: `${label}: peak RSS, preview of a ${PREVIEW_ROWS.toLocaleString('en-GB')}-row import (${Math.round(preview.result / 1024)} KB page, ${ms(preview.ms)})`,
				figure: mb(preview.peakKb)
			},
			{
				name: `${label}: peak RSS, export of ${people.toLocaleString('en-GB')} young people as .xlsx (${Math.round(exported.result.byteLength / 1024)} KB, ${ms(exported.ms)})`,
				figure: mb(exported.peakKb)
			},
			{ name: `${label}: RSS at the end`, figure: mb(statusKb(pid, 'VmRSS')) }
		];
	} finally {
		await stopServer(server);
	}
}

const rows: Row[] = [];
const dataDir = mkdtempSync(join(tmpdir(), 'ypt-bench-memory-'));
try {
	rows.push(...(await measure('embedded', { DATABASE_URL: undefined, DATA_DIR: dataDir })));
} finally {
	rmSync(dataDir, { recursive: true, force: true });
}

const serverUrl = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `ypt_bench_memory_${process.pid}`;
const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
await admin.query(`create database ${name}`);
try {
	const url = new URL(serverUrl);
	url.pathname = `/${name}`;
	const database = await openDatabase({ kind: 'postgres', url: url.toString() });
	try {
		await migrateToLatest(database.db);
		await seedDemo(database.db, readFileSync(join(root, 'src/lib/server/demo/demo-schools.csv'), 'utf8'));
	} finally {
		await database.close();
	}
	rows.push(...(await measure('PostgreSQL', { DATABASE_URL: url.toString() })));
} finally {
	await admin.query(`drop database if exists ${name} with (force)`);
	await admin.end();
}

console.log(`Node flags: ${nodeFlags.join(' ') || 'none'}`);
const width = Math.max(...rows.map((r) => r.name.length));
for (const row of rows) console.log(`${row.name.padEnd(width)}  ${row.figure}`);
