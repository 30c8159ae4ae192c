// The report figures kept change by change (issue 15, items 1 and 2), at county scale on
// PostgreSQL:
//   (e) freshness across two processes: a register saved here (process A: the service, then the
//       recount of what it touched, as the app does after each commit) until the built app
//       (process B, keeping its reports) serves a by-school report that shows it, for a financial
//       year and for an academic year;
//   (f) the cost of one register save (25 marks) with its incremental upkeep against the save
//       alone, and the whole rebuild that each burst of changes cost before.
// It loads the county data set (county-data.ts) unless the database has it already, as after
// the county benchmark. `npm run bench` calls it; the app must be built (`npx vite build`).
import type { ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { Kysely } from 'kysely';
import { saveMarks } from '../../lib/server/attendance/attendance.service';
import { hashPassword } from '../../lib/server/auth/password';
import { createSession, type Actor } from '../../lib/server/auth/session';
import { newTotpKey } from '../../lib/server/auth/totp';
import { openDatabase } from '../../lib/server/db/database';
import type { DB } from '../../lib/server/db/schema';
import { rebuildRollups } from '../../lib/server/reports/reports.queries';
import { recountFigures } from '../../lib/server/reports/rollups';
import { insertUser, updateUserSecondFactor } from '../../lib/server/users/users.queries';
import { startAppServer, stopAppServer } from './app-server';
import { generateCountyData } from './county-data';

/** The port after the county benchmark's (BENCH_PORT, default 4391), so two benchmarks on one machine keep apart. */
const PORT = Number(process.env.BENCH_PORT || 4391) + 1;
const ORIGIN = `http://localhost:${PORT}`;
const RUNS = 20;
const MARKS = 25;
/** A session on 20 March 2025: in the financial year 2024-25 and the academic year 2024-25, whose by-school reports B serves. */
const SESSION_START = new Date('2025-03-20T10:00:00Z');
/**
 * The by-school report of each kind of year the session is in. A suppressed reader's academic
 * year is decided after the two financial years it overlaps (after a change, B decides again
 * the one the change touched, then the academic year's own tables); and it is the period
 * reports open on.
 */
const REPORTS = [
	{ year: 'financial year 2024-25', address: `${ORIGIN}/reports/schools/download.csv?period=financial&year=2024` },
	{ year: 'academic year 2024-25', address: `${ORIGIN}/reports/schools/download.csv?period=academic&year=2024` }
];
/** Year 8 in the academic year 2024-25. */
const RECEPTION_YEAR = 2024 - 8;

type Row = { name: string; figure: string };

const ms = (n: number) => `${n.toFixed(1)} ms`;

function percentile(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summary(times: number[]): { p50: number; p95: number } {
	const sorted = [...times].sort((a, b) => a - b);
	return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
}

/** Waits for the whole rebuild the app makes as it starts (about 40 s at county scale). */
async function rebuiltSince(db: Kysely<DB>, after: Date): Promise<void> {
	for (let i = 0; i < 600; i++) {
		const state = await db.selectFrom('report_rollup_state').select('refreshed_at').executeTakeFirst();
		if (state?.refreshed_at && state.refreshed_at > after) return;
		await new Promise((r) => setTimeout(r, 500));
	}
	throw new Error('The app did not rebuild the report figures within 5 minutes of starting');
}

async function user(db: Kysely<DB>, role: 'admin' | 'viewer', passwordHash: string) {
	const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
	const email = `bench-upkeep-${role}-${run}@example.org`;
	const made = await insertUser(db, {
		email,
		name: `Bench upkeep ${role}`,
		role,
		schoolId: null,
		status: 'active',
		passwordHash
	});
	// Admins and viewers must have a second factor: one never used, so the sessions made here are fully signed in.
	await updateUserSecondFactor(db, made.id, { secret: newTotpKey(), step: 0 });
	return { id: made.id, email, name: `Bench upkeep ${role}` };
}

export async function benchFiguresUpkeep(url: string): Promise<Row[]> {
	const rows: Row[] = [];
	const database = await openDatabase({ kind: 'postgres', url, poolSize: 4 });
	let server: ChildProcess | undefined;
	try {
		const db = database.db;
		const passwordHash = await hashPassword(crypto.randomUUID());
		const admin = await user(db, 'admin', passwordHash);
		const viewer = await user(db, 'viewer', passwordHash);
		const loaded = await db.selectFrom('school').select('id').where('name', 'like', 'County School %').limit(1).executeTakeFirst();
		if (!loaded) await generateCountyData(db, admin.id);
		const counted = await db
			.selectFrom('attendance_mark')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();

		// A session of a county programme with one county school's Year 8 booked, and 25 of them on its register.
		const programme = await db.selectFrom('programme').select('id').where('name', 'like', 'County programme 1 %').executeTakeFirstOrThrow();
		const school = await db.selectFrom('school').select(['id', 'name']).where('name', 'like', 'County School %').orderBy('name').executeTakeFirstOrThrow();
		const session = await db
			.insertInto('programme_session')
			.values({
				programme_id: programme.id,
				starts_at: SESSION_START,
				ends_at: new Date(SESSION_START.getTime() + 2 * 3_600_000),
				venue: 'Bench hall',
				capacity: 60,
				booking_opens_at: new Date(SESSION_START.getTime() - 30 * 86_400_000),
				booking_closes_at: new Date(SESSION_START.getTime() - 86_400_000),
				year_groups: ['Y8']
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await db
			.insertInto('booking')
			.values({
				session_id: session.id,
				school_id: school.id,
				year_group: 'Y8',
				places: 60,
				confirmed_places: 60,
				status: 'confirmed',
				contact_name: 'Bench',
				contact_phone: '01304 000000',
				queued_at: new Date(),
				created_by: admin.id
			})
			.execute();
		const pupils = await db
			.selectFrom('young_person')
			.select('id')
			.where('school_id', '=', school.id)
			.where('reception_year', '=', RECEPTION_YEAR)
			.limit(MARKS)
			.execute();
		const actor: Actor = { id: admin.id, email: admin.email, name: admin.name, role: 'admin', schoolId: null, address: '192.0.2.251' };
		const versions = new Map<string, number>();
		let round = 0;
		/** Saves the register with every mark changed (present, then absent, and so on), so each save changes the figures. */
		const save = async () => {
			const status = round++ % 2 === 0 ? 'present' : 'absent_unauthorised';
			const changes = pupils.map((p) => ({ youngPersonId: p.id, status, basedOn: versions.get(p.id) ?? null }));
			const result = await saveMarks(db, actor, session.id, changes, new Date(SESSION_START.getTime() + 3_600_000));
			if (!result.ok || result.conflicts.length > 0) throw new Error(`The benchmark register was refused: ${JSON.stringify(result)}`);
			for (const p of pupils) versions.set(p.id, (versions.get(p.id) ?? 0) + 1);
		};
		const upkeep = () => recountFigures(db, { sessions: [session.id] });

		// (f) The save alone, then the save with its upkeep, alternating so both see the same database.
		for (let i = 0; i < 2; i++) {
			await save();
			await upkeep();
		}
		const alone: number[] = [];
		const withUpkeep: number[] = [];
		const upkeepOnly: number[] = [];
		for (let i = 0; i < RUNS; i++) {
			let start = performance.now();
			await save();
			alone.push(performance.now() - start);
			await upkeep();
			start = performance.now();
			await save();
			const saved = performance.now();
			await upkeep();
			withUpkeep.push(performance.now() - start);
			upkeepOnly.push(performance.now() - saved);
		}
		const rebuildStart = performance.now();
		await rebuildRollups(db);
		const rebuild = performance.now() - rebuildStart;
		const a = summary(alone);
		const w = summary(withUpkeep);
		const u = summary(upkeepOnly);
		const scale = `${counted.n.toLocaleString('en-GB')} marks`;
		rows.push({ name: `(f) Register save (${MARKS} marks), alone, ${scale}`, figure: `p50 ${ms(a.p50)}, p95 ${ms(a.p95)}` });
		rows.push({
			name: `(f) Register save with incremental upkeep`,
			figure: `p50 ${ms(w.p50)}, p95 ${ms(w.p95)} (${(w.p50 / a.p50).toFixed(2)}x the save alone at p50, ${(w.p95 / a.p95).toFixed(2)}x at p95; the recount itself p50 ${ms(u.p50)}, p95 ${ms(u.p95)})`
		});
		rows.push({
			name: `(f) Whole rebuild (before: after each burst of changes)`,
			figure: `${ms(rebuild)} (${(rebuild / u.p50).toFixed(0)}x one recount at p50)`
		});

		// (e) Process B: the built app, keeping its reports, told of changes by NOTIFY.
		const started = new Date();
		server = await startAppServer(PORT, { DATABASE_URL: url, REPORT_KEEP: 'on' });
		await rebuiltSince(db, started);
		const cookie = `session=${await createSession(db, viewer.id)}`;
		for (const { year, address } of REPORTS) {
			const report = async () => {
				const response = await fetch(address, { headers: { cookie } });
				if (!response.ok) throw new Error(`${address} answered ${response.status}`);
				return response.text();
			};
			const fresh: number[] = [];
			const countedOnA: number[] = [];
			const computedOnB: number[] = [];
			const keptOnB: number[] = [];
			for (let i = 0; i < 10; i++) {
				// Kept by B: asked twice, the second answer comes from what B keeps.
				const before = await report();
				const keptStart = performance.now();
				await report();
				keptOnB.push(performance.now() - keptStart);
				const start = performance.now();
				await save();
				await upkeep();
				countedOnA.push(performance.now() - start);
				for (;;) {
					const asked = performance.now();
					const shown = (await report()) !== before;
					if (shown) {
						computedOnB.push(performance.now() - asked);
						break;
					}
					if (performance.now() - start > 60_000) throw new Error('Process B did not show the register within a minute');
				}
				fresh.push(performance.now() - start);
			}
			const f = summary(fresh);
			const c = summary(countedOnA);
			const b = summary(computedOnB);
			const k = summary(keptOnB);
			rows.push({
				name: `(e) Freshness across two processes (saved on A, shown by B's kept by-school report), ${year}`,
				figure: `p50 ${ms(f.p50)}, p95 ${ms(f.p95)}, worst ${ms(Math.max(...fresh))} over ${fresh.length} saves (target 1 s)`
			});
			rows.push({
				name: `(e) ... of which saved and counted on A; B's report computed once dropped (kept: p50 ${ms(k.p50)})`,
				figure: `A p50 ${ms(c.p50)}, p95 ${ms(c.p95)}; B p50 ${ms(b.p50)}, p95 ${ms(b.p95)}`
			});
		}
	} finally {
		await stopAppServer(server);
		await database.close();
	}
	return rows;
}
