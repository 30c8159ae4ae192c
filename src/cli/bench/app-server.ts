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

/** Starts the built app on `port` with `env` on top of this process's, and waits until it answers. */
export async function startAppServer(port: number, env: Record<string, string>): Promise<ChildProcess> {
	const origin = `http://localhost:${port}`;
	// Another benchmark's (or anyone's) server there would answer in this one's place.
	const taken = await fetch(`${origin}/sign-in`).then(
		() => true,
		() => false
	);
	if (taken) throw new Error(`Something already answers on port ${port}: choose another with BENCH_PORT`);
	const server = spawn(process.execPath, [...startFlags(), 'src/cli/start.js'], {
		env: { ...process.env, PORT: String(port), ORIGIN: origin, SMTP_URL: '', ...env },
		stdio: ['ignore', 'pipe', 'inherit']
	});
	let tail = '';
	server.stdout!.setEncoding('utf8');
	server.stdout!.on('data', (chunk: string) => {
		tail = (tail + chunk).slice(-TAIL_BYTES);
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
