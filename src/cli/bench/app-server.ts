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

/** The garbage collector's pauses of the main thread so far, in ms: young generation (scavenges) and whole heap (mark-compact). */
export interface GcPauses {
	scavenge: number;
	markCompact: number;
}

/** Each server started with `traceGc`: its pauses so far, added up from `--trace-gc`'s lines as they come. */
const pausesOf = new WeakMap<ChildProcess, GcPauses>();

/**
 * `--trace-gc`'s line for one collection (V8's format), such as `[pid:isolate]  1234 ms: Scavenge
 * 41.5 (121.4) -> 36.5 (121.4) MB, 6.61 / 0.03 ms  (...)`: the first figure after the sizes is
 * the main thread's pause. A mark-compact's line adds the steps of incremental marking that ran
 * on the main thread before it (`(+ 1.3 ms in 19 steps since start of marking, ...)`).
 */
const TRACE_GC = /ms: (Scavenge|Mark-Compact)[^,]*, ([\d.]+) \/ [\d.]+ ms(?:\s+\(\+ ([\d.]+) ms in \d+ steps)?/;

/** The main thread's pause a `--trace-gc` line reports, or null for any other line. */
export function gcPauseOf(line: string): { kind: keyof GcPauses; ms: number } | null {
	const match = TRACE_GC.exec(line);
	if (!match) return null;
	return { kind: match[1] === 'Scavenge' ? 'scavenge' : 'markCompact', ms: Number(match[2]) + Number(match[3] ?? 0) };
}

/** The server's garbage collection pauses so far: only for a server started with `traceGc`. */
export function gcPauses(server: ChildProcess): GcPauses | undefined {
	const pauses = pausesOf.get(server);
	return pauses && { ...pauses };
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
	// V8 prints one line a collection, a few dozen a second under load: nothing beside the requests' own log.
	const server = spawn(process.execPath, [...startFlags(), ...(options.traceGc ? ['--trace-gc'] : []), 'src/cli/start.js'], {
		env: { ...process.env, PORT: String(port), ORIGIN: origin, SMTP_URL: '', ...env },
		stdio: ['ignore', 'pipe', 'inherit']
	});
	let tail = '';
	server.stdout!.setEncoding('utf8');
	const pauses: GcPauses = { scavenge: 0, markCompact: 0 };
	if (options.traceGc) pausesOf.set(server, pauses);
	// A line can come in two chunks: only whole lines are read for pauses.
	let partial = '';
	server.stdout!.on('data', (chunk: string) => {
		tail = (tail + chunk).slice(-TAIL_BYTES);
		if (!options.traceGc) return;
		const lines = (partial + chunk).split('\n');
		partial = lines.pop()!;
		for (const line of lines) {
			const pause = gcPauseOf(line);
			if (pause) pauses[pause.kind] += pause.ms;
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
