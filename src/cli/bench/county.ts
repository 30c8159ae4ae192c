// The reports at county scale (issues 5 and 15): loads COUNTY's data set into a throwaway
// PostgreSQL database, starts the built app on it, and prints one table, side by side on the
// same machine and data:
//   - each report (the by-school CSV and page, the district overview; financial year, as a
//     report viewer, so figures are suppressed) as its SQL alone, run directly: the figures, the
//     filters' programmes and schools, and the one read the suppression decision makes; then
//     through the app's HTTP endpoint computed on every request (REPORT_KEEP=off), then kept
//     until the figures next change; p95, and ratios to the SQL (budget within 1.3x), the SQL
//     timed in turns with the page, so both see the same moments of the machine; beside the
//     CSV, a bare page of the app too: what any answer over HTTP costs, report or not; the
//     pages are asked for by Node's fetch (gzip, and decompressed here, in this process), and
//     the by-school page once more as a browser asks for it (brotli, timed to its last byte: a
//     browser decompresses on its network thread, beside the page, not in it); and the same
//     requests by the server's own clock (its request log), which leaves the client's work out;
//   - the floor: the same by-school figures counted from the records by one hand-written
//     statement (by-school-floor.ts), with no rollup, checked against the rollup first;
//   - requests per second of the district overview against a bare page of the same app, 10
//     clients at once asking as browsers do (brotli, not decompressed here), computed and kept,
//     in rounds that take turns (budget: at least half), with the server's main thread's CPU
//     time a request in the same rounds (which a busy neighbour moves too: the bare page's from
//     0.93 to 1.78 ms across the rounds of one run on stop 52's machine), the garbage collector's
//     share of it, and what the app allocated a request, which a neighbour moves far less (the
//     server runs with V8's --trace-gc-nvp for these);
//   - the server's memory (RSS): at rest, at its peak, and after the run (budget 300 MB);
//   - then saving an 802-mark register on top of the 2M marks (budget 100 ms).
// Run through `npm run bench` (which makes and drops the database), or on its own:
// `BENCH_COUNTY_ONLY=1 npm run bench`; BENCH_SCALE=0.1 for a data set a tenth the size, BENCH_PORT
// for the app's port (default 4391; the freshness measurement's app, figures-upkeep.ts, takes the next).
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { performance } from 'node:perf_hooks';
import { hashPassword } from '../../lib/server/auth/password';
import { createSession } from '../../lib/server/auth/session';
import { newTotpKey } from '../../lib/server/auth/totp';
import type { Kysely } from 'kysely';
import { openDatabase } from '../../lib/server/db/database';
import type { DB } from '../../lib/server/db/schema';
import { financialQuarter, financialYear } from '../../lib/server/reports/periods';
import {
	listReportOptions,
	listRollupSlices,
	overviewFigures,
	reportFigures,
	reportFiguresAndTotal,
	type Figures
} from '../../lib/server/reports/reports.queries';
import { listYoungPeopleOfSchool } from '../../lib/server/young-people/young-people.queries';
import { listOutcomeRows } from '../../lib/server/outcomes/outcomes.queries';
import { sql } from 'kysely';
import { insertUser, updateUserSecondFactor } from '../../lib/server/users/users.queries';
import { gcTotals, startAppServer, stopAppServer, takeRequestTimes, type GcTotals } from './app-server';
import { bySchoolFromRecords, type FloorRow } from './by-school-floor';
import { generateCountyData } from './county-data';
import { outcomesFromAnswers } from './outcomes-floor';
import { benchRegisterSave } from './registers';

const PORT = Number(process.env.BENCH_PORT || 4391);
const ORIGIN = `http://localhost:${PORT}`;
const REPORT_YEAR = 2024;
const RUNS = 40;
/** Requests timed for each report page, each beside a run of its SQL: a p95 of 40 is the third slowest, too few on a shared machine. */
const PAGE_RUNS = 100;
const LOAD_SECONDS = 12;
const LOAD_ROUNDS = 4;
const CLIENTS = 10;

type Row = { name: string; figure: string };

function percentile(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

type Timing = { p50: number; p95: number };
type Mode = 'computed' | 'kept';

async function time(runs: number, fn: () => Promise<unknown>): Promise<Timing> {
	return (await timeTogether(runs, [fn]))[0]!;
}

/**
 * Each of `fns` timed `runs` times, taking turns (the order turned each time), so that all see
 * the same moments of a shared machine. Timed minutes apart, a page and its SQL compared a quiet
 * moment with a busy one: in one run the by-school SQL's p95 was 30-49 ms across its timings.
 */
async function timeTogether(runs: number, fns: (() => Promise<unknown>)[]): Promise<Timing[]> {
	for (let i = 0; i < 3; i++) for (const fn of fns) await fn();
	const times = fns.map(() => [] as number[]);
	for (let i = 0; i < runs; i++) {
		for (let k = 0; k < fns.length; k++) {
			const which = (i + k) % fns.length;
			const start = performance.now();
			await fns[which]!();
			times[which]!.push(performance.now() - start);
		}
	}
	return times.map((t) => {
		t.sort((a, b) => a - b);
		return { p50: percentile(t, 50), p95: percentile(t, 95) };
	});
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

/** Whether the floor's row for a school holds the rollup's figures for it. */
function agrees(r: FloorRow, f: Figures | undefined): boolean {
	if (!f) return false;
	const a = [f.sessionsDelivered, f.sessionsCancelled, f.placesBooked, f.attended, f.expected, f.headcountYoungPeople, f.parents, f.professionals];
	const b = [r.sessions_delivered, r.sessions_cancelled, r.places_booked, r.attended, r.expected, r.headcount_young_people, r.parents, r.professionals];
	a.push(f.schoolsReached, f.namedYoungPeople, f.stationVisits, f.meetings, f.meetingMinutes, f.mentors, f.mentees, ...Object.values(f.awards));
	b.push(r.schools_reached, r.named_young_people, r.station_visits, r.meetings, r.meeting_minutes, r.mentors, r.mentees, r.discovery, r.explorer, r.conserver);
	return a.every((value, k) => value === Number(b[k]));
}

/**
 * The CPU time (user and system, in ms) the process's main thread has used, from /proc: what a
 * request costs the thread that answers it, the app's limit on two cores. Beside requests per
 * second, which a busy neighbour on a shared machine moves by a tenth from one round to the next,
 * it moves less. Clock ticks of 10 ms (USER_HZ is 100 on Linux); NaN where there is no /proc.
 */
function mainThreadCpuMs(pid: number): number {
	try {
		const fields = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
		// utime and stime are the 14th and 15th fields, the 12th and 13th after the name.
		return (Number(fields[11]) + Number(fields[12])) * 10;
	} catch {
		return Number.NaN;
	}
}

function rssMb(pid: number): number {
	const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	return match ? Number(match[1]) / 1024 : NaN;
}

/** Waits until the app has rebuilt the figures since `after` (it does as it starts). */
async function waitForRebuild(db: Kysely<DB>, after: Date): Promise<void> {
	for (let i = 0; i < 300; i++) {
		const state = await db.selectFrom('report_rollup_state').select('refreshed_at').executeTakeFirst();
		if (state?.refreshed_at && state.refreshed_at > after) return;
		await new Promise((r) => setTimeout(r, 1000));
	}
	throw new Error('The app did not rebuild the report figures within 5 minutes of starting');
}

/**
 * Requests answered per second with `CLIENTS` clients asking one after another for `seconds`,
 * each as a browser asks (`browserGet`: brotli, on a kept-alive connection, not decompressed
 * here), and how many were refused (a 503 when requests wait too long for the database). Until
 * stop 43 the clients were Node's fetch, asking for gzip and decompressing every answer in this
 * process, on the same two cores as the server: a client that costs more than a browser's
 * share of the server's machine, and more for a larger page (see the README's `npm run bench`).
 */
async function load(url: string, cookie: string, seconds: number, server?: ChildProcess): Promise<PageLoad> {
	const pid = server?.pid;
	const cpuBefore = pid === undefined ? Number.NaN : mainThreadCpuMs(pid);
	const gcBefore = server && gcTotals(server);
	let done = 0;
	let failed = 0;
	const until = performance.now() + seconds * 1000;
	const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
	await Promise.all(
		Array.from({ length: CLIENTS }, async () => {
			while (performance.now() < until) {
				const { status } = await browserGet(agent, url, cookie);
				if (status === 200) done++;
				else failed++;
			}
		})
	);
	agent.destroy();
	const cpuMs = pid === undefined ? Number.NaN : (mainThreadCpuMs(pid) - cpuBefore) / (done + failed);
	const gcAfter = server && gcTotals(server);
	const perRequest = (pick: (totals: GcTotals) => number) => (gcBefore && gcAfter ? (pick(gcAfter) - pick(gcBefore)) / (done + failed) : Number.NaN);
	return {
		perSecond: done / seconds,
		failed,
		cpuMs,
		gcMs: perRequest((t) => t.scavenge + t.markCompact),
		// Counted at each collection, so a round's first one holds what the round before it left:
		// a collection's worth (up to the young generation's 8 MB) against thousands of requests.
		allocatedKb: perRequest((t) => t.allocatedBytes) / 1024,
		promotedKb: perRequest((t) => t.promotedBytes) / 1024
	};
}

/** One page's load: requests per second and refused, and a request's main-thread CPU and collection pauses (ms) and allocations (KB). */
type PageLoad = { perSecond: number; failed: number; cpuMs: number; gcMs: number; allocatedKb: number; promotedKb: number };

/** One round of the load: the bare page's, then the overview's. */
type LoadRound = { bare: PageLoad; overview: PageLoad };

/** One figure of the rounds, averaged. */
function meanOf(rounds: LoadRound[], pick: (round: LoadRound) => number): number {
	return rounds.reduce((total, round) => total + pick(round), 0) / rounds.length;
}

/**
 * A GET as a browser asks for a page (brotli first) on a kept-alive connection, to the last byte
 * of the compressed body, which is not decompressed: a browser does that on its own machine, on
 * its network thread, apart from the page's. The status, the encoding and the bytes received.
 */
function browserGet(agent: Agent, address: string, cookie: string): Promise<{ status: number; encoding: string | undefined; bytes: number }> {
	return new Promise((resolve, reject) => {
		const request = get(address, { agent, headers: { cookie, 'accept-encoding': 'br, gzip, deflate' } }, (response) => {
			let bytes = 0;
			response.on('data', (chunk: Buffer) => (bytes += chunk.length));
			response.on('end', () => resolve({ status: response.statusCode ?? 0, encoding: response.headers['content-encoding'], bytes }));
			response.on('error', reject);
		});
		request.on('error', reject);
	});
}

/** `browserGet`, checking the answer is a 200 in brotli: the bytes received. */
async function browserFetch(agent: Agent, address: string, cookie: string): Promise<number> {
	const { status, encoding, bytes } = await browserGet(agent, address, cookie);
	if (status !== 200 || encoding !== 'br') throw new Error(`${address} answered ${status} in ${encoding ?? 'no encoding'}`);
	return bytes;
}

export async function benchCounty(url: string): Promise<Row[]> {
	const rows: Row[] = [];
	const database = await openDatabase({ kind: 'postgres', url, poolSize: 4 });
	let server: ChildProcess | undefined;
	try {
		const db = database.db;
		// Signed in by sessions made here: the password is random and thrown away.
		const passwordHash = await hashPassword(crypto.randomUUID());
		const admin = await insertUser(db, {
			email: 'bench-county-admin@example.org',
			name: 'Bench county admin',
			role: 'admin',
			schoolId: null,
			status: 'active',
			passwordHash
		});
		const viewer = await insertUser(db, {
			email: 'bench-county-viewer@example.org',
			name: 'Bench county viewer',
			role: 'viewer',
			schoolId: null,
			status: 'active',
			passwordHash
		});
		// Admins and viewers must have a second factor: one never used, so the sessions made here are fully signed in.
		for (const { id } of [admin, viewer]) await updateUserSecondFactor(db, id, { secret: newTotpKey(), step: 0 });
		const data = await generateCountyData(db, admin.id);
		// Autovacuum would spend the next minutes on the 2.1 million new rows, in the middle of the
		// timings below (one run's by-school SQL took 100 ms at p95, another's 45 ms): settled first.
		await sql`vacuum analyze`.execute(db);
		rows.push({
			name: 'County data set',
			figure: `${data.schools} schools, ${data.youngPeople.toLocaleString('en-GB')} young people, ${data.sessions.toLocaleString('en-GB')} sessions, ${data.marks.toLocaleString('en-GB')} marks, ${data.meetings.toLocaleString('en-GB')} meetings, ${data.awards.toLocaleString('en-GB')} awards, ${data.answers.toLocaleString('en-GB')} before-and-after answers; loaded in ${data.seconds.toFixed(0)} s`
		});

		// Search by name (accent- and punctuation-insensitive, on the stored search key): a school's
		// list as a lead or contact searches it, and across all 250,000 young people at once.
		const school = await db.selectFrom('school').select('id').where('name', 'like', 'County School %').orderBy('name').executeTakeFirstOrThrow();
		const inSchool = await time(RUNS, () => listYoungPeopleOfSchool(db, school.id, { search: "county o'12" }));
		rows.push({ name: 'Search one school’s young people by name', figure: `p50 ${ms(inSchool.p50)}, p95 ${ms(inSchool.p95)}` });
		const everywhere = await time(10, () =>
			sql`select count(*) from young_person where search_key like '%' || search_key(${'Cóunty 12345'}) || '%'`.execute(db)
		);
		rows.push({ name: 'Search all 250,000 young people by name', figure: `p50 ${ms(everywhere.p50)}, p95 ${ms(everywhere.p95)}` });

		// Each report's SQL alone: what the app asks the database for to answer it for a report
		// viewer (figures suppressed), run directly, the same queries with nothing around them.
		const year = financialYear(REPORT_YEAR);
		const filter = { from: year.from, to: year.to, periodKind: year.kind };
		const family = [
			{ kind: 'financial' as const, from: year.from },
			...([1, 2, 3, 4] as const).map((q) => ({ kind: 'quarter' as const, from: financialQuarter(REPORT_YEAR, q).from }))
		];
		// The filter's choices, read as the app reads them (one statement). The app reads them once
		// per change of the figures (kept.ts, keptChoices); they stay in the SQL as the cost of an
		// answer from nothing, as the suppression decision's read does (decided.ts).
		const options = () => listReportOptions(db);
		// The suppression decision's read: the year and its quarters, by programme and by school
		// (the programmes and schools that name its rows are the choices already read).
		const decision = () => listRollupSlices(db, family);
		const sqlOf = {
			bySchool: async () => {
				await options();
				await Promise.all([reportFiguresAndTotal(db, filter, 'school'), decision()]);
			},
			// The overview's choices without the schools (it names none), and its figures, reach and
			// outcomes in the one statement the app reads them in (overviewFigures).
			overview: async () => {
				const { programmes, schoolsByPhase } = await listReportOptions(db, false);
				await Promise.all([
					overviewFigures(
						db,
						filter,
						programmes.map((p) => p.id),
						schoolsByPhase
					),
					decision()
				]);
			}
		};
		// The report's SQL alone, for the floor below; the pages are timed beside their SQL, with the app running.
		const bySchoolSql = await time(RUNS, sqlOf.bySchool);
		// As the benchmark measured it before the decision was read in one query: the figures only.
		const figuresOnly = async () => {
			await options();
			await reportFiguresAndTotal(db, filter, 'school');
		};

		// The floor: the same by-school figures from the records in one hand-written statement,
		// checked against the rollup first.
		const fromRollup = await reportFigures(db, filter, 'school');
		const floorRows = await bySchoolFromRecords(db, year.from, year.to);
		const disagree = floorRows.filter((r) => !agrees(r, fromRollup.get(r.school_id))).length + Math.max(0, fromRollup.size - floorRows.length);
		const floor = await time(Math.min(RUNS, 10), () => bySchoolFromRecords(db, year.from, year.to));

		// Outcomes: what every report with outcomes reads (from the rollup the triggers keep,
		// migration 20261210T0100), against the floor, the same figures from the answers themselves.
		const outcomeFilter = { from: year.from, to: year.to };
		const keptOutcomes = await listOutcomeRows(db, outcomeFilter);
		const outcomeFloorRows = await outcomesFromAnswers(db, year.from, year.to);
		const outcomeKey = (r: { programme_id: string; question_id: string }) => `${r.programme_id} ${r.question_id}`;
		const keptByKey = new Map(keptOutcomes.map((r) => [outcomeKey(r), r]));
		const outcomesDisagree =
			outcomeFloorRows.filter((f) => {
				const k = keptByKey.get(outcomeKey(f));
				return (
					!k ||
					k.pairs !== f.pairs ||
					k.improved !== f.improved ||
					k.total_change !== f.total_change ||
					k.unmatched_before !== f.unmatched_before ||
					k.unmatched_after !== f.unmatched_after
				);
			}).length + Math.max(0, keptOutcomes.length - outcomeFloorRows.length);
		const outcomesRead = await time(RUNS, () => listOutcomeRows(db, outcomeFilter));
		const outcomesFloor = await time(Math.min(RUNS, 10), () => outcomesFromAnswers(db, year.from, year.to));
		rows.push({
			name: `Outcomes FY ${REPORT_YEAR} (${data.answers.toLocaleString('en-GB')} answers in all), as every report reads them, from the rollup`,
			figure: `p50 ${ms(outcomesRead.p50)}, p95 ${ms(outcomesRead.p95)}; floor, from the answers in one statement: p95 ${ms(outcomesFloor.p95)} (${(outcomesFloor.p95 / outcomesRead.p95).toFixed(0)}x); ${outcomesDisagree === 0 ? `the ${keptOutcomes.length} rows agree` : `${outcomesDisagree} rows differ`}`
		});
		// The cost of keeping it: a before and its after on paper (three answers each) typed in for a conference
		// session, with the triggers that count it and without them (rolled back each time).
		const conference = await db
			.selectFrom('outcome_questionnaire')
			.select(['programme_id', 'session_id', 'school_id', 'academic_year', 'answered_on'])
			.where('session_id', 'is not', null)
			.limit(1)
			.executeTakeFirstOrThrow();
		const statements = await db.selectFrom('outcome_question').select('id').where('programme_id', '=', conference.programme_id).execute();
		const typeIn = (upkeep: boolean) => async () => {
			const trx = await db.startTransaction().execute();
			try {
				if (!upkeep) await sql`set local session_replication_role = replica`.execute(trx);
				for (const moment of ['before', 'after'] as const) {
					const { id } = await trx
						.insertInto('outcome_questionnaire')
						.values({ ...conference, matching_code: 'BENCH1', moment, entered_by: admin.id })
						.returning('id')
						.executeTakeFirstOrThrow();
					await trx
						.insertInto('outcome_answer')
						.values(statements.map((q, i) => ({ questionnaire_id: id, question_id: q.id, score: 2 + i })))
						.execute();
				}
			} finally {
				await trx.rollback().execute();
			}
		};
		const [withUpkeep, without] = await timeTogether(RUNS, [typeIn(true), typeIn(false)]);
		rows.push({
			name: 'A before and its after typed in (two questionnaires, three answers each), with the outcomes rollup kept / without',
			figure: `p50 ${ms(withUpkeep!.p50)} / ${ms(without!.p50)}, p95 ${ms(withUpkeep!.p95)} / ${ms(without!.p95)}`
		});

		const query = `period=financial&year=${REPORT_YEAR}`;
		const bare = `${ORIGIN}/accessibility`;
		const endpoints = [
			// Beside the CSV, a bare page of the app too: see the row it gives, below.
			{
				what: 'By-school report, CSV download',
				address: `${ORIGIN}/reports/schools/download.csv?${query}`,
				route: '/reports/schools/download.csv',
				sql: [sqlOf.bySchool, figuresOnly],
				bare: true
			},
			{ what: 'By-school report, HTML page (600 rows)', address: `${ORIGIN}/reports/schools?${query}`, route: '/reports/schools', sql: [sqlOf.bySchool] },
			{
				what: 'By-school report, HTML page, as a browser asks (brotli, to its last byte)',
				address: `${ORIGIN}/reports/schools?${query}`,
				sql: [sqlOf.bySchool],
				browser: true
			},
			{ what: 'District overview, HTML page', address: `${ORIGIN}/reports?${query}`, route: '/reports', sql: [sqlOf.overview] }
		];
		/**
		 * Each page's timing in each mode, and its SQL's (for the CSV, the figures' alone and the bare
		 * page too) timed beside it; and the same requests by the server's own clock (its request log).
		 */
		const pages = new Map<string, Partial<Record<Mode, { app: Timing; sql: Timing[]; bare?: Timing; server?: Timing }>>>();
		const throughput: { mode: Mode; rounds: LoadRound[] }[] = [];
		const memory: { mode: Mode; rest: number; peak: number; after: number }[] = [];
		// First computed on every request (REPORT_KEEP=off), then as the app runs: each report
		// kept until the figures next change.
		for (const mode of ['computed', 'kept'] as const) {
			const started = new Date();
			// With V8's line for each garbage collection, to count its pauses in the rounds below.
			server = await startAppServer(PORT, { DATABASE_URL: url, REPORT_KEEP: mode === 'kept' ? 'on' : 'off' }, { traceGc: true });
			// The app rebuilds the figures as it starts (40 s at full scale): time nothing until it is done.
			await waitForRebuild(db, started);
			// The rebuild replaced every row of the rollup: autovacuum clears the old ones within
			// minutes, here before the timing rather than in the middle of it.
			await sql`vacuum analyze report_rollup`.execute(db);
			const pid = server.pid!;
			const rest = rssMb(pid);
			let peak = rest;
			const sample = () => (peak = Math.max(peak, rssMb(pid)));
			const ticker = setInterval(sample, 200);
			const viewerCookie = `session=${await createSession(db, viewer.id)}`;
			const page = (address: string) => async () => {
				const response = await fetch(address, { headers: { cookie: viewerCookie } });
				if (!response.ok) throw new Error(`${address} answered ${response.status}`);
				return response.text();
			};
			const agent = new Agent({ keepAlive: true, maxSockets: 1 });
			for (const { what, address, route, sql: sqlFns, bare: withBare, browser } of endpoints) {
				const asked = browser ? () => browserFetch(agent, address, viewerCookie) : page(address);
				if (route) takeRequestTimes(server, route);
				const timings = await timeTogether(PAGE_RUNS, [asked, ...sqlFns, ...(withBare ? [page(bare)] : [])]);
				const app = timings[0]!;
				const sqlBeside = timings.slice(1, 1 + sqlFns.length);
				// The server's times less timeTogether's three turns to warm up.
				const served = route
					? takeRequestTimes(server, route)
							.slice(3)
							.sort((a, b) => a - b)
					: [];
				const byServer = served.length > 0 ? { p50: percentile(served, 50), p95: percentile(served, 95) } : undefined;
				pages.set(what, { ...pages.get(what), [mode]: { app, sql: sqlBeside, bare: withBare ? timings.at(-1) : undefined, server: byServer } });
			}
			agent.destroy();
			const overview = `${ORIGIN}/reports?${query}`;
			await load(bare, viewerCookie, 2);
			await load(overview, viewerCookie, 2);
			// In rounds, the bare page then the overview: on a shared machine one long run of each
			// compared a quiet moment with a busy one (24-37% across stops for the same code).
			const rounds: LoadRound[] = [];
			for (let round = 0; round < LOAD_ROUNDS; round++) {
				rounds.push({
					bare: await load(bare, viewerCookie, LOAD_SECONDS / LOAD_ROUNDS, server),
					overview: await load(overview, viewerCookie, LOAD_SECONDS / LOAD_ROUNDS, server)
				});
			}
			throughput.push({ mode, rounds });
			clearInterval(ticker);
			sample();
			// After the run: what the process still holds once the load has stopped.
			await new Promise((r) => setTimeout(r, 3000));
			memory.push({ mode, rest, peak, after: rssMb(pid) });
			await stopAppServer(server);
		}

		// Each ratio is to the SQL timed beside it, in turns: the SQL's p95 as timed beside the computed pages, then beside the kept.
		const ratio = (what: string, mode: Mode, k = 0) => {
			const t = pages.get(what)?.[mode];
			return t ? `${ms(t.app.p95)} (${(t.app.p95 / t.sql[k]!.p95).toFixed(2)}x)` : '-';
		};
		const sqlAlone = (what: string, k = 0) => (['computed', 'kept'] as const).map((mode) => ms(pages.get(what)?.[mode]?.sql[k]?.p95 ?? NaN)).join(' / ');
		const table: string[][] = [
			[`Report FY ${REPORT_YEAR}, as a report viewer, p95 of ${PAGE_RUNS}`, 'its SQL alone, beside computed / kept', 'app computed', 'app kept'],
			...endpoints.map(({ what }) => [what, sqlAlone(what), ratio(what, 'computed'), ratio(what, 'kept')]),
			// The same requests by the server's clock: what the app itself took, without the client's
			// work (Node's fetch decompressing and decoding the page in this process) or the way back.
			...endpoints
				.filter(({ route }) => route)
				.map(({ what }) => [
					`${what}: the server's own time (its request log, to the compressed answer)`,
					sqlAlone(what),
					...(['computed', 'kept'] as const).map((mode) => {
						const t = pages.get(what)?.[mode];
						return t?.server ? `${ms(t.server.p95)} (${(t.server.p95 / t.sql[0]!.p95).toFixed(2)}x)` : '-';
					})
				]),
			// The decision is made once per change of the figures (decided.ts), so a computed report's own SQL leaves out its read.
			[
				'By-school figures, SQL without the suppression read; the CSV download to it',
				sqlAlone(endpoints[0]!.what, 1),
				ratio(endpoints[0]!.what, 'computed', 1),
				ratio(endpoints[0]!.what, 'kept', 1)
			],
			// What any answer over HTTP costs (the session checked, a small page rendered and sent),
			// against the same figures-only SQL: a share of the CSV's ratio that no report's own work is in.
			[
				'A bare signed-in page (/accessibility, 5.6 KB), timed beside the CSV; to the figures-only SQL',
				(['computed', 'kept'] as const).map((mode) => ms(pages.get(endpoints[0]!.what)?.[mode]?.bare?.p95 ?? NaN)).join(' / '),
				...(['computed', 'kept'] as const).map((mode) => {
					const t = pages.get(endpoints[0]!.what)?.[mode];
					return t?.bare ? `${(t.bare.p95 / t.sql[1]!.p95).toFixed(2)}x (${mode})` : '-';
				})
			],
			[
				'Floor: by-school figures from the records, one statement',
				`${ms(floor.p95)} (${(floor.p95 / bySchoolSql.p95).toFixed(2)}x the report's SQL)`,
				disagree === 0 ? 'agrees with the rollup' : `${disagree} schools differ from the rollup`,
				''
			],
			...throughput.map(({ mode, rounds }) => {
				const bare = meanOf(rounds, (r) => r.bare.perSecond);
				const overview = meanOf(rounds, (r) => r.overview.perSecond);
				const shares = rounds.map((r) => (r.overview.perSecond / r.bare.perSecond) * 100).sort((a, b) => a - b);
				const failed = rounds.reduce((total, r) => total + r.bare.failed + r.overview.failed, 0);
				return [
					`Requests/s, ${CLIENTS} clients as browsers ask (brotli), ${LOAD_SECONDS} s each in ${LOAD_ROUNDS} rounds, app ${mode}`,
					`bare page ${bare.toFixed(1)}/s`,
					`overview ${overview.toFixed(1)}/s`,
					`${((overview / bare) * 100).toFixed(0)}% of the bare page (rounds ${shares.map((x) => x.toFixed(0)).join(', ')}%)${failed ? `; ${failed} answered with an error` : ''}`
				];
			}),
			// The same rounds as the server's main thread's CPU time a request: the bare page's share
			// of the overview's is what the requests per second would be on a quiet machine.
			...throughput.map(({ mode, rounds }) => {
				const bareCpu = meanOf(rounds, (r) => r.bare.cpuMs);
				const overviewCpu = meanOf(rounds, (r) => r.overview.cpuMs);
				const shares = rounds.map((r) => (r.bare.cpuMs / r.overview.cpuMs) * 100).sort((a, b) => a - b);
				// How far the same page's time moved from one round to the next: the machine's noise.
				const bareRange = [Math.min(...rounds.map((r) => r.bare.cpuMs)), Math.max(...rounds.map((r) => r.bare.cpuMs))];
				return [
					`Main thread's CPU a request in the same rounds, app ${mode}`,
					`bare page ${bareCpu.toFixed(2)} ms (rounds ${bareRange.map((x) => x.toFixed(2)).join('-')})`,
					`overview ${overviewCpu.toFixed(2)} ms`,
					`the bare page's ${((bareCpu / overviewCpu) * 100).toFixed(0)}% of the overview's (rounds ${shares.map((x) => x.toFixed(0)).join(', ')}%)`
				];
			}),
			// Of that CPU time, the garbage collector's pauses of the main thread (V8's --trace-gc-nvp):
			// what collecting the overview's extra allocations costs, beyond making them.
			...throughput.map(({ mode, rounds }) => {
				const [bareGc, overviewGc] = [meanOf(rounds, (r) => r.bare.gcMs), meanOf(rounds, (r) => r.overview.gcMs)];
				const extraCpu = meanOf(rounds, (r) => r.overview.cpuMs) - meanOf(rounds, (r) => r.bare.cpuMs);
				return [
					`Of it, garbage collection pauses a request, app ${mode}`,
					`bare page ${bareGc.toFixed(2)} ms`,
					`overview ${overviewGc.toFixed(2)} ms`,
					// Kept, the overview costs less than the bare page: no extra to take a share of.
					extraCpu > 0
						? `${(((overviewGc - bareGc) / extraCpu) * 100).toFixed(0)}% of the overview's extra ${extraCpu.toFixed(2)} ms`
						: `the overview took ${(-extraCpu).toFixed(2)} ms less in all`
				];
			}),
			// What the app allocated a request in the same rounds, and of it what lived long enough to
			// be promoted to the old generation (V8's --trace-gc-nvp): figures a busy neighbour moves far
			// less than the times above, which nearly doubled from one round to another on a shared machine.
			...throughput.map(({ mode, rounds }) => {
				const kb = (n: number) => `${n.toFixed(0)} KB`;
				const [bareAllocated, overviewAllocated] = [meanOf(rounds, (r) => r.bare.allocatedKb), meanOf(rounds, (r) => r.overview.allocatedKb)];
				return [
					`Allocated a request (of it promoted to the old generation), app ${mode}`,
					`bare page ${kb(bareAllocated)} (${kb(meanOf(rounds, (r) => r.bare.promotedKb))})`,
					`overview ${kb(overviewAllocated)} (${kb(meanOf(rounds, (r) => r.overview.promotedKb))})`,
					`the bare page's ${((bareAllocated / overviewAllocated) * 100).toFixed(0)}% of the overview's`
				];
			}),
			...memory.map(({ mode, rest, peak, after }) => [
				`Server memory (RSS), app ${mode}`,
				`${rest.toFixed(0)} MB at rest`,
				`peak ${peak.toFixed(0)} MB`,
				`${after.toFixed(0)} MB after the run`
			])
		];
		const widths = table[0]!.map((_, k) => Math.max(...table.map((row) => row[k]!.length)));
		const [head, ...body] = table.map((row) => row.map((cell, k) => cell.padEnd(widths[k]!)));
		rows.push({ name: head![0]!, figure: head!.slice(1).join(' | ') });
		for (const row of body) rows.push({ name: row[0]!, figure: row.slice(1).join(' | ') });
	} finally {
		await stopAppServer(server);
		await database.close();
	}
	// (b): the register benchmark's own rows, now on top of the county's marks and rollups.
	for (const row of await benchRegisterSave(url)) rows.push({ name: `(b) ${row.name}, on the county data set`, figure: row.figure });
	return rows;
}
