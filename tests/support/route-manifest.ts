// The app's routes as the file system declares them: every page, its `__data.json`, every form
// action and every endpoint method. The access matrix (tests/e2e/access-matrix.spec.ts) walks
// this list, so a route added under src/routes is in it without anyone remembering to add it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export type Unit = { kind: 'page' } | { kind: 'data' } | { kind: 'action'; name: string } | { kind: 'method'; method: string };

export interface RouteEntry {
	/** The route id as SvelteKit names it: `/sessions/[id]/book`. */
	id: string;
	params: string[];
	units: Unit[];
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'];

/** A unit's key in the matrix table: `page`, `data`, `action:name` (`action:default`), `GET`. */
export function unitKey(unit: Unit): string {
	if (unit.kind === 'action') return `action:${unit.name}`;
	if (unit.kind === 'method') return unit.method;
	return unit.kind;
}

/**
 * The names of a `+page.server.ts`'s form actions, read from its source: the keys at the top
 * level of `export const actions = { ... }` (shorthand, `name: ...` and `name(...) {` alike).
 */
export function actionNames(source: string): string[] {
	const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
	const start = code.search(/export\s+const\s+actions\b/);
	if (start < 0) return [];
	const names: string[] = [];
	const keyAt = (i: number) => {
		const key = /^\s*(?:async\s+)?([A-Za-z_$][\w$]*)\s*[:(]/.exec(code.slice(i + 1));
		if (key) names.push(key[1]!);
	};
	let depth = 0;
	for (let i = code.indexOf('{', code.indexOf('=', start)); i < code.length; i++) {
		const ch = code[i]!;
		if ('{(['.includes(ch)) {
			depth++;
			if (depth === 1) keyAt(i);
		} else if ('})]'.includes(ch)) {
			depth--;
			if (depth === 0) break;
		} else if (ch === ',' && depth === 1) keyAt(i);
	}
	return names;
}

/** The exported request handlers of a `+server.ts`. */
export function methodNames(source: string): string[] {
	return METHODS.filter((m) => new RegExp(`export\\s+(?:const|async\\s+function|function)\\s+${m}\\b`).test(source));
}

function walk(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(join(dir, d.name)) : [join(dir, d.name)]));
}

/** Every route under `routesDir`, in the order of their ids. */
export function readManifest(routesDir = 'src/routes'): RouteEntry[] {
	const dirs = new Set(walk(routesDir).map((f) => f.slice(0, f.lastIndexOf(sep))));
	const routes: RouteEntry[] = [];
	for (const dir of [...dirs].sort()) {
		const rel = relative(routesDir, dir).split(sep).join('/');
		const id =
			'/' +
			(rel === '' ? '' : rel)
				.split('/')
				.filter((s) => s && !/^\(.*\)$/.test(s))
				.join('/');
		const units: Unit[] = [];
		if (existsSync(join(dir, '+page.svelte')) || existsSync(join(dir, '+page.server.ts'))) {
			units.push({ kind: 'page' });
			// Every page has a `__data.json` once it or a layout above it has a server load.
			const chain = ['', ...rel.split('/').filter(Boolean)].map((_, i, parts) => join(routesDir, ...parts.slice(1, i + 1)));
			if (chain.some((d) => existsSync(join(d, '+layout.server.ts'))) || existsSync(join(dir, '+page.server.ts'))) units.push({ kind: 'data' });
			const server = join(dir, '+page.server.ts');
			if (existsSync(server)) for (const name of actionNames(readFileSync(server, 'utf8'))) units.push({ kind: 'action', name });
		}
		const endpoint = join(dir, '+server.ts');
		if (existsSync(endpoint)) for (const method of methodNames(readFileSync(endpoint, 'utf8'))) units.push({ kind: 'method', method });
		if (units.length === 0) continue;
		const params = [...id.matchAll(/\[(?:\.\.\.)?(\w+)(?:=\w+)?\]/g)].map((m) => m[1]!);
		routes.push({ id, params, units });
	}
	return routes;
}
