// `npm start`: builds the app if there is no build or the sources are newer, then serves it on
// http://localhost:3000 (PORT to change). The server migrates the database as it starts and, on
// an empty embedded database, seeds the demo. A new embedded database (DATABASE_URL unset and
// nothing in DATA_DIR yet) is first created and seeded by src/cli/prepare-embedded.ts in a
// process of its own, which exits: the 700-900 MB PGlite grows to while creating and seeding is
// then given back, and the server opens the database in under 300 MB (see the README's Memory).
//
// SIGTERM or SIGINT stops it, whenever it comes (the npm script `exec`s node, so a signal to npm
// reaches this process rather than only a shell): while building, the build is stopped too;
// while the new embedded database is made, it stops once that is done (the process making it is
// in a process group of its own, so a Ctrl-C at the terminal does not cut it off mid-write);
// while starting (opening, migrating, seeding), it stops as soon as it has started, so the
// embedded database is never cut off mid-write (a second signal stops it at once); once serving,
// adapter-node finishes the open requests, then the app closes the database and its lock.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { constants } from 'node:os';
import { join, resolve } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const built = join(root, 'build', 'index.js');

/**
 * The newest modification time under these paths.
 * @param {string[]} paths
 * @returns {number}
 */
function newest(paths) {
	let latest = 0;
	for (const path of paths) {
		if (!existsSync(path)) continue;
		const stat = statSync(path);
		if (stat.isDirectory()) {
			for (const entry of readdirSync(path)) latest = Math.max(latest, newest([join(path, entry)]));
		} else latest = Math.max(latest, stat.mtimeMs);
	}
	return latest;
}

/** @type {import('node:child_process').ChildProcess | undefined} */
let building;
/** @type {import('node:child_process').ChildProcess | undefined} */
let preparing;
/** @type {NodeJS.Signals | undefined} */
let stopWith;
/** @param {NodeJS.Signals} signal */
const exitCode = (signal) => 128 + constants.signals[signal];

/** @param {NodeJS.Signals} signal */
function stopSignalled(signal) {
	if (building) {
		stopWith = signal;
		building.kill(signal);
	} else if (preparing && !stopWith) {
		stopWith = signal;
		console.log(`Stopping as soon as the new database is ready (${signal} again to stop now; it is finished all the same)...`);
	} else if (stopWith) {
		process.exit(exitCode(signal));
	} else {
		stopWith = signal;
		console.log(`Stopping as soon as the server has started (${signal} again to stop now)...`);
	}
}
process.on('SIGTERM', stopSignalled);
process.on('SIGINT', stopSignalled);

const sources = ['src', 'migrations', 'static', 'package.json', 'svelte.config.js', 'vite.config.ts'].map((p) => join(root, p));
if (!existsSync(built) || newest(sources) > statSync(built).mtimeMs) {
	console.log('Building the app (once after each change; about 20 seconds)...');
	// The build's own output (style-sheet deprecations, plugin timings) is for developers, who run
	// `npm run build`: here it is shown only when the build fails.
	building = spawn(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], {
		cwd: root,
		stdio: ['ignore', 'pipe', 'pipe']
	});
	/** @type {Buffer[]} */
	const output = [];
	building.stdout?.on('data', (chunk) => output.push(chunk));
	building.stderr?.on('data', (chunk) => output.push(chunk));
	const [status] = await once(building, 'exit');
	building = undefined;
	if (stopWith) process.exit(exitCode(stopWith));
	if (status !== 0) {
		process.stderr.write(Buffer.concat(output));
		console.error('The build failed: the lines above say why.');
		process.exit(status ?? 1);
	}
}

const embedded = process.env.DATABASE_URL ? undefined : resolve(process.env.DATA_DIR || 'data');
if (embedded && !existsSync(join(embedded, 'pglite', 'PG_VERSION'))) {
	console.log(`Creating the embedded database in ${embedded} with the demo data (once; about 20 seconds)...`);
	const tsx = import.meta.resolve('tsx');
	preparing = spawn(process.execPath, ['--import', tsx, join(root, 'src', 'cli', 'prepare-embedded.ts')], { stdio: 'inherit', detached: true });
	const [status] = await once(preparing, 'exit');
	preparing = undefined;
	if (stopWith) process.exit(exitCode(stopWith));
	if (status !== 0) process.exit(status ?? 1);
}

process.env.PORT ||= '3000';
process.env.HOST ||= '0.0.0.0';
// Form posts are checked against this origin; it matches the address printed below.
process.env.ORIGIN ||= `http://localhost:${process.env.PORT}`;
// The largest body any route reads: an import's 2 MB file and its form. Every other route reads
// at most 64 KB (src/lib/server/web/request-body.ts), and answers 413 beyond it without reading on.
process.env.BODY_SIZE_LIMIT ||= '2112K';

try {
	// Resolves once the app has started (hooks' init) and adapter-node listens for signals itself.
	await import(built);
} catch (error) {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
}
process.off('SIGTERM', stopSignalled);
process.off('SIGINT', stopSignalled);
// A signal that came while starting: now adapter-node's own handler stops the server gracefully.
if (stopWith) process.kill(process.pid, stopWith);
else console.log(`Youth Programmes Tracker is running at ${process.env.ORIGIN}`);
