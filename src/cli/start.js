// `npm start`: builds the app if there is no build or the sources are newer, then serves it on
// http://localhost:3000 (PORT to change). The server migrates the database as it starts and, on
// an empty embedded database, seeds the demo.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

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

const sources = ['src', 'migrations', 'static', 'package.json', 'svelte.config.js', 'vite.config.ts'].map((p) => join(root, p));
if (!existsSync(built) || newest(sources) > statSync(built).mtimeMs) {
	console.log('Building the app (once after each change; about 20 seconds)...');
	const result = spawnSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], {
		cwd: root,
		stdio: 'inherit'
	});
	if (result.status !== 0) process.exit(result.status ?? 1);
}

process.env.PORT ||= '3000';
process.env.HOST ||= '0.0.0.0';
// Form posts are checked against this origin; it matches the address printed below.
process.env.ORIGIN ||= `http://localhost:${process.env.PORT}`;
process.env.BODY_SIZE_LIMIT ||= String(12 * 1024 * 1024);

try {
	await import(built);
} catch (error) {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
}
console.log(`Youth Programmes Tracker is running at ${process.env.ORIGIN}`);
