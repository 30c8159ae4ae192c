// The database-fault drill (issue 11): the built app on a fresh PostgreSQL database under load,
// every backend of that database ended `rounds` times with pg_terminate_backend (what a restart
// or a failover does to the app's connections), then, optionally, the database shut to new
// connections for a while. It records every request and says, for each fault, how many
// requests failed and how, whether the process stayed up, and how long until it served again.
// `npm run fault-drill` prints the figures; tests/e2e/database-faults.spec.ts asserts on them.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { hashPassword } from '../../lib/server/auth/password';
import { createSession } from '../../lib/server/auth/session';
import { newTotpKey } from '../../lib/server/auth/totp';
import { openDatabase } from '../../lib/server/db/database';
import { insertUser, updateUserSecondFactor } from '../../lib/server/users/users.queries';

export interface DrillOptions {
	/** A PostgreSQL server whose role may create databases and end other sessions (the drill's database is made there and dropped). */
	serverUrl: string;
	/** How the app is started: `build/index.js` (the build must exist) or `src/cli/start.js` (builds when needed). */
	entry: string;
	rounds?: number;
	/** Clients asking for pages one after another, all the time. */
	clients?: number;
	port?: number;
	/** After the rounds, refuse new connections to the database for this long (0: skip). */
	outageMs?: number;
	progress?: (line: string) => void;
}

type Status = number | 'network error' | 'timeout';

interface Sample {
	started: number;
	ended: number;
	status: Status;
}

export interface FaultFigures {
	/** What the fault was. */
	fault: string;
	/** Backends pg_terminate_backend ended. */
	terminated: number;
	/** Requests in flight at the fault or started after it that did not get a 200, by status. */
	failed: Record<string, number>;
	failedTotal: number;
	/** From the fault (or the database coming back, after an outage) to the end of the first 200 after the last failure. */
	msToServeAgain: number | undefined;
	/** The process was still running after the fault. */
	processUp: boolean;
	/** A request made after the fault (after the outage: once the database was back) got a 200. */
	answeredOk: boolean;
}

export interface OutageFigures extends FaultFigures {
	/** What a page asked for during the outage got: status, Retry-After, and whether it said "briefly unavailable". */
	page: { status: number; retryAfter: string | null; saysUnavailable: boolean };
	/** /readyz and /healthz during the outage. */
	readyz: number;
	healthz: number;
}

export interface DrillResult {
	rounds: FaultFigures[];
	outage?: OutageFigures;
	requests: number;
	/** The median time of a page before the first fault, to read the times to serve again against. */
	medianMs: number;
	/** The app's output on stderr, for a failure's explanation. */
	stderr: string;
}

/** Pages a signed-in admin opens, each asking the database (the session, then the page's own queries). */
const PAGES = ['/schools', '/dashboard', '/programmes', '/readyz'];
const STEADY_MS = 1500;
const AFTER_FAULT_MS = 2000;
const REQUEST_TIMEOUT_MS = 15_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runFaultDrill(options: DrillOptions): Promise<DrillResult> {
	const { serverUrl, entry, rounds = 3, clients = 8, port = 4393, outageMs = 0, progress = () => {} } = options;
	const origin = `http://127.0.0.1:${port}`;
	const name = `ypt_faultdrill_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
	const url = new URL(serverUrl);
	url.pathname = `/${name}`;
	const admin = new pg.Client({ connectionString: serverUrl });
	await admin.connect();
	let server: App | undefined;
	try {
		await admin.query(`create database ${name}`);
		progress(`Starting the app on the new database ${name}...`);
		server = await startApp(entry, url.toString(), port, origin);
		const cookie = `session=${await signInAdmin(url.toString())}`;
		const load = startLoad(origin, cookie, clients);
		await sleep(STEADY_MS);

		const before = load.samples.filter((sample) => sample.status === 200).map((sample) => sample.ended - sample.started);
		const medianMs = before.sort((a, b) => a - b)[Math.floor(before.length / 2)] ?? NaN;
		const figures: FaultFigures[] = [];
		for (let round = 1; round <= rounds; round++) {
			const at = performance.now();
			const terminated = await terminateBackends(admin, name);
			await sleep(AFTER_FAULT_MS);
			const answeredOk = await answersOk(origin, cookie);
			figures.push({
				fault: `termination ${round}`,
				terminated,
				...failuresSince(load.samples, at, at),
				processUp: server.running(),
				answeredOk
			});
			progress(describeFault(figures.at(-1)!));
			await sleep(STEADY_MS);
		}

		let outage: OutageFigures | undefined;
		if (outageMs > 0) {
			const at = performance.now();
			await admin.query(`alter database ${name} allow_connections false`);
			const terminated = await terminateBackends(admin, name);
			await sleep(outageMs / 2);
			const during = await probeOutage(origin, cookie);
			await sleep(outageMs / 2);
			const back = performance.now();
			await admin.query(`alter database ${name} allow_connections true`);
			await sleep(AFTER_FAULT_MS);
			const answeredOk = await answersOk(origin, cookie);
			outage = {
				fault: `${(outageMs / 1000).toFixed(1)} s outage`,
				terminated,
				...failuresSince(load.samples, at, back),
				processUp: server.running(),
				answeredOk,
				...during
			};
			progress(describeFault(outage));
		}
		await load.stop();
		return { rounds: figures, outage, requests: load.samples.length, medianMs, stderr: server.stderr() };
	} finally {
		await server?.stop();
		await admin.query(`drop database if exists ${name} with (force)`);
		await admin.end();
	}
}

export function describeFault(f: FaultFigures): string {
	const failed = Object.entries(f.failed)
		.map(([status, count]) => `${count} × ${status}`)
		.join(', ');
	const serve = f.msToServeAgain === undefined ? 'did not serve again' : `served again after ${f.msToServeAgain.toFixed(0)} ms`;
	return `${f.fault}: ${f.terminated} connections ended; ${f.failedTotal} requests failed${failed ? ` (${failed})` : ''}; ${serve}; process ${f.processUp ? 'up' : 'DOWN'}; ${f.answeredOk ? 'answers 200' : 'does NOT answer 200'}`;
}

interface App {
	running(): boolean;
	stderr(): string;
	stop(): Promise<void>;
}

async function startApp(entry: string, databaseUrl: string, port: number, origin: string): Promise<App> {
	const child: ChildProcess = spawn(process.execPath, [entry], {
		env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', ORIGIN: origin, SMTP_URL: '', LOG_LEVEL: 'warn' },
		stdio: ['ignore', 'ignore', 'pipe']
	});
	let stderr = '';
	child.stderr!.on('data', (chunk: Buffer) => {
		stderr = (stderr + chunk.toString()).slice(-20_000);
	});
	const app: App = {
		running: () => child.exitCode === null && child.signalCode === null,
		stderr: () => stderr,
		async stop() {
			if (!app.running()) return;
			const exited = once(child, 'exit');
			child.kill('SIGTERM');
			await Promise.race([exited, sleep(10_000)]);
			if (app.running()) child.kill('SIGKILL');
		}
	};
	for (let i = 0; i < 240 && app.running(); i++) {
		try {
			if ((await fetch(`${origin}/readyz`)).ok) return app;
		} catch {
			// not listening yet
		}
		await sleep(500);
	}
	await app.stop();
	throw new Error(`The app did not become ready within two minutes:\n${stderr}`);
}

/** An admin of the drill's own, signed in by a session made here (its password is random and thrown away). */
async function signInAdmin(databaseUrl: string): Promise<string> {
	const database = await openDatabase({ kind: 'postgres', url: databaseUrl, poolSize: 1 });
	try {
		const passwordHash = await hashPassword(crypto.randomUUID());
		const user = await insertUser(database.db, {
			email: 'fault-drill@example.org',
			name: 'Fault drill',
			role: 'admin',
			schoolId: null,
			status: 'active',
			passwordHash
		});
		// An admin must have a second factor: one it never uses, so its session is fully signed in.
		await updateUserSecondFactor(database.db, user.id, { secret: newTotpKey(), step: 0 });
		return await createSession(database.db, user.id);
	} finally {
		await database.close();
	}
}

function startLoad(origin: string, cookie: string, clients: number) {
	const samples: Sample[] = [];
	let running = true;
	const workers = Array.from({ length: clients }, async (_, client) => {
		for (let i = client; running; i++) {
			const started = performance.now();
			let status: Status;
			try {
				const response = await fetch(`${origin}${PAGES[i % PAGES.length]}`, {
					headers: { cookie },
					redirect: 'manual',
					signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS)
				});
				await response.arrayBuffer();
				status = response.status;
			} catch (error) {
				status = error instanceof Error && error.name === 'TimeoutError' ? 'timeout' : 'network error';
				// A process that is gone answers at once: do not spin.
				await sleep(50);
			}
			samples.push({ started, ended: performance.now(), status });
		}
	});
	return {
		samples,
		async stop() {
			running = false;
			await Promise.all(workers);
		}
	};
}

async function terminateBackends(admin: pg.Client, database: string): Promise<number> {
	const result = await admin.query<{ ended: boolean }>(
		'select pg_terminate_backend(pid) as ended from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
		[database]
	);
	return result.rows.filter((row) => row.ended).length;
}

/**
 * The requests a fault touched: in flight at `faultAt` or started after it, until the end of
 * the samples. Serving again is the end of the first 200 that started after both the last
 * failure and `backAt` (when the database was back), counted from `backAt`.
 */
function failuresSince(samples: Sample[], faultAt: number, backAt: number): Pick<FaultFigures, 'failed' | 'failedTotal' | 'msToServeAgain'> {
	const touched = samples.filter((s) => s.ended >= faultAt);
	const failures = touched.filter((s) => s.status !== 200);
	const failed: Record<string, number> = {};
	for (const f of failures) failed[String(f.status)] = (failed[String(f.status)] ?? 0) + 1;
	const lastFailure = Math.max(backAt, ...failures.map((f) => f.ended));
	const firstOk = touched.filter((s) => s.status === 200 && s.started >= lastFailure).sort((a, b) => a.ended - b.ended)[0];
	return { failed, failedTotal: failures.length, msToServeAgain: firstOk && firstOk.ended - backAt };
}

async function answersOk(origin: string, cookie: string): Promise<boolean> {
	return (await statusOf(`${origin}/schools`, { headers: { cookie } })).status === 200;
}

/** A status, or 0 when nothing answered (the process is gone). */
async function statusOf(address: string, init?: RequestInit): Promise<{ status: number; headers?: Headers; text: string }> {
	try {
		const response = await fetch(address, { redirect: 'manual', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS), ...init });
		return { status: response.status, headers: response.headers, text: await response.text() };
	} catch {
		return { status: 0, text: '' };
	}
}

async function probeOutage(origin: string, cookie: string): Promise<Pick<OutageFigures, 'page' | 'readyz' | 'healthz'>> {
	const page = await statusOf(`${origin}/schools`, { headers: { cookie, accept: 'text/html' } });
	return {
		page: { status: page.status, retryAfter: page.headers?.get('retry-after') ?? null, saysUnavailable: page.text.includes('briefly unavailable') },
		readyz: (await statusOf(`${origin}/readyz`)).status,
		healthz: (await statusOf(`${origin}/healthz`)).status
	};
}
