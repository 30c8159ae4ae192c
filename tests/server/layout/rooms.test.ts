import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The layout's rules (src/lib/server/README.md), checked on the source so a change that breaks
// one is named here rather than found by the next reader.

const root = resolve('src/lib/server');

function filesUnder(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return filesUnder(path);
		return entry.name.endsWith('.ts') ? [path] : [];
	});
}

const files = filesUnder(root);
const source = new Map(files.map((file) => [file, readFileSync(file, 'utf8')]));
const name = (file: string) => relative(root, file);

/** Every module a file imports, type-only imports included (a cycle of types is still a knot to read). */
function importsOf(file: string): string[] {
	const text = source.get(file)!;
	return [...text.matchAll(/(?:import|export)\s[^;]*?from\s+'(\.{1,2}\/[^']+)'/g)].flatMap(([, spec]) => {
		const target = resolve(dirname(file), spec!);
		return [`${target}.ts`, join(target, 'index.ts')].filter((candidate) => source.has(candidate));
	});
}

describe('the rooms of src/lib/server', () => {
	it('has no import cycle', () => {
		const cycles: string[] = [];
		const state = new Map<string, 'open' | 'done'>();
		const visit = (file: string, path: string[]) => {
			if (state.get(file) === 'done') return;
			if (state.get(file) === 'open') {
				cycles.push([...path.slice(path.indexOf(file)), file].map(name).join(' > '));
				return;
			}
			state.set(file, 'open');
			for (const next of importsOf(file)) visit(next, [...path, file]);
			state.set(file, 'done');
		};
		for (const file of files) visit(file, []);
		expect(cycles).toEqual([]);
	});

	it('keeps SvelteKit in the web room: services answer with a Result', () => {
		const importers = files.filter((file) => !name(file).startsWith('web/') && /from '@sveltejs\/kit/.test(source.get(file)!));
		expect(importers.map(name)).toEqual([]);
	});

	it('declares one result type', () => {
		const declared = files.flatMap((file) => [...source.get(file)!.matchAll(/\btype\s+(\w*Result)\b(?:<[^>]*>)?\s*=/g)].map((m) => `${name(file)}: ${m[1]}`));
		expect(declared).toEqual(['result.ts: Result']);
	});

	it('writes SQL only in *.queries.ts, the database room and the demo seed', () => {
		const sqlOutside = files.filter((file) => {
			const path = name(file);
			if (path.endsWith('.queries.ts') || path.startsWith('db/') || path.startsWith('demo/')) return false;
			return /\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto)\(|\bsql`/.test(source.get(file)!);
		});
		expect(sqlOutside.map(name)).toEqual([]);
	});
});
