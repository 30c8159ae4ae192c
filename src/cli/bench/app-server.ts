// The built app as the benchmarks start it: as `npm start` does, with the same heap flags (read
// from package.json's start script, so the two cannot drift apart), on a port of the caller's,
// with its log read as it comes. A pipe nobody reads holds 64 KB, a few hundred requests' log
// lines; the server writes its log to it synchronously, so once it is full the server stops
// answering (a run with BENCH_SCALE=0.1 hung so before its first measurement).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';

/** The Node flags of `npm start` (package.json): the heap limits the server runs with. */
export function startFlags(): string[] {
	const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
	const flags = manifest.scripts.start!.split(/\s+/).filter((word) => word.startsWith('--'));
	if (flags.length === 0) throw new Error('npm start gives Node no flags: the benchmark expected its heap limits');
	return flags;
}

/** How much of the server's output is kept, to say why it did not start. */
const TAIL_BYTES = 16 * 1024;

/**
 * The garbage collector's work so far: its pauses of the main thread in ms, young generation
 * (scavenges) and whole heap (mark-compact, with the incremental marking steps before it), and
 * the bytes the app allocated and those the young generation promoted to the old. Bytes move
 * far less than times with the machine's load, though they are not fixed: on a shared machine
 * of 2 cores a bare page's main-thread time a request moved from 0.93 to 1.78 ms across the
 * four rounds of one `npm run bench` (stop 52), while the overview's allocations a request moved
 * from 457 to 598 KB across 10-second runs and its promoted bytes from 81 to 85 KB (stop 53).
 */
export interface GcTotals {
	scavenge: number;
	markCompact: number;
	allocatedBytes: number;
	promotedBytes: number;
}

/** Each server started with `traceGc`: its totals so far, added up from `--trace-gc-nvp`'s lines as they come. */
const totalsOf = new WeakMap<ChildProcess, GcTotals>();

/**
 * `--trace-gc-nvp`'s line for one collection (V8's name=value format), such as `[pid:isolate]
 * 1234 ms: pause=3.6 mutator=88.6 gc=s ... allocated=4596944 promoted=0 ...`: `pause` is the main
 * thread's pause; `gc` is `s` for a scavenge (`mmc` for a minor mark-compact, which Node does not
 * use by default) and `mc` for a mark-compact, whose line adds the main thread's incremental
 * marking before it as `incremental`; `allocated` is what the app allocated since the last
 * collection and `promoted` what this one moved to the old generation, in bytes.
 */
const NVP = /ms: pause=([\d.]+) .*?\bgc=(s|mmc|mc)\b/;
const nvpField = (line: string, name: string) => Number(new RegExp(` ${name}=([\\d.]+)`).exec(line)?.[1] ?? 0);

/** One collection a `--trace-gc-nvp` line reports, or null for any other line. */
export function gcOf(line: string): { kind: 'scavenge' | 'markCompact'; ms: number; allocatedBytes: number; promotedBytes: number } | null {
	const match = NVP.exec(line);
	if (!match) return null;
	const kind = match[2] === 'mc' ? 'markCompact' : 'scavenge';
	const ms = Number(match[1]) + (kind === 'markCompact' ? nvpField(line, 'incremental') : 0);
	return { kind, ms, allocatedBytes: nvpField(line, 'allocated'), promotedBytes: nvpField(line, 'promoted') };
}

/**
 * The time each request took by the server's own clock, by route: its request log's `ms` (from
 * the request's arrival to the compressed answer handed to Node to send), kept for servers
 * started with `traceGc`, whose output is read line by line anyway. Beside a page's time as
 * the benchmark's client takes it, it shows what the client's own work adds (Node's fetch
 * decompressing and decoding a 360 KB page, in the benchmark's process).
 */
const requestTimesOf = new WeakMap<ChildProcess, Map<string, number[]>>();

/** A request log line's route and time, or null for any other line. */
export function requestOf(line: string): { route: string; ms: number } | null {
	if (!line.startsWith('{') || !line.includes('"msg":"request"')) return null;
	try {
		const { route, ms } = JSON.parse(line) as { route?: unknown; ms?: unknown };
		return typeof route === 'string' && typeof ms === 'number' ? { route, ms } : null;
	} catch {
		return null;
	}
}

/** The server's times for `route` since this was last asked (and forgets them): only for a server started with `traceGc`. */
export function takeRequestTimes(server: ChildProcess, route: string): number[] {
	const byRoute = requestTimesOf.get(server);
	const times = byRoute?.get(route) ?? [];
	byRoute?.delete(route);
	return times;
}

/** The server's garbage collection so far: only for a server started with `traceGc`. */
export function gcTotals(server: ChildProcess): GcTotals | undefined {
	const totals = totalsOf.get(server);
	return totals && { ...totals };
}

/** Starts the built app on `port` with `env` on top of this process's, and waits until it answers. */
export async function startAppServer(port: number, env: Record<string, string>, options: { traceGc?: boolean } = {}): Promise<ChildProcess> {
	const origin = `http://localhost:${port}`;
	// Another benchmark's (or anyone's) server there would answer in this one's place.
	const taken = await fetch(`${origin}/sign-in`).then(
		() => true,
		() => false
	);
	if (taken) throw new Error(`Something already answers on port ${port}: choose another with BENCH_PORT`);
	// V8 prints one line a collection (about 2 KB), a few dozen a second under load: about as much again as the requests' own log.
	const server = spawn(process.execPath, [...startFlags(), ...(options.traceGc ? ['--trace-gc-nvp'] : []), 'src/cli/start.js'], {
		env: { ...process.env, PORT: String(port), ORIGIN: origin, SMTP_URL: '', ...env },
		stdio: ['ignore', 'pipe', 'inherit']
	});
	let tail = '';
	server.stdout!.setEncoding('utf8');
	const totals: GcTotals = { scavenge: 0, markCompact: 0, allocatedBytes: 0, promotedBytes: 0 };
	const requestTimes = new Map<string, number[]>();
	if (options.traceGc) {
		totalsOf.set(server, totals);
		requestTimesOf.set(server, requestTimes);
	}
	// A line can come in two chunks: only whole lines are read for collections.
	let partial = '';
	server.stdout!.on('data', (chunk: string) => {
		tail = (tail + chunk).slice(-TAIL_BYTES);
		if (!options.traceGc) return;
		const lines = (partial + chunk).split('\n');
		partial = lines.pop()!;
		for (const line of lines) {
			const request = requestOf(line);
			if (request) {
				const times = requestTimes.get(request.route) ?? [];
				times.push(request.ms);
				requestTimes.set(request.route, times);
				continue;
			}
			const gc = gcOf(line);
			if (!gc) continue;
			totals[gc.kind] += gc.ms;
			totals.allocatedBytes += gc.allocatedBytes;
			totals.promotedBytes += gc.promotedBytes;
		}
	});
	for (let i = 0; i < 240 && server.exitCode === null; i++) {
		try {
			if ((await fetch(`${origin}/sign-in`)).ok) return server;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 500));
	}
	const exited = server.exitCode !== null;
	await stopAppServer(server);
	console.error(tail);
	throw new Error(exited ? `The app stopped as it started (exit ${server.exitCode}); its output is above` : 'The app did not start within two minutes');
}

/** Stops the app and waits until it has: one still answering a load's queued requests would use the machine under the next measurement. */
export async function stopAppServer(server: ChildProcess | undefined): Promise<void> {
	if (!server || server.exitCode !== null || server.signalCode !== null) return;
	// Let the app close its connections before anything else touches the database.
	const exited = once(server, 'exit');
	server.kill('SIGTERM');
	const stopped = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 10_000))]);
	if (!stopped) {
		server.kill('SIGKILL');
		await exited;
	}
}
