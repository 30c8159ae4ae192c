import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The source of a dependency's module as installed, named as the build's rewrites name it
 * (src/build/rewrite-module.js): '/<package>/<path in the package>', the package scoped or not.
 */
export function installedModule(module: string): string {
	const parts = module.split('/').filter(Boolean);
	const length = parts[0]!.startsWith('@') ? 2 : 1;
	const name = parts.slice(0, length).join('/');
	const root = dirname(createRequire(import.meta.url).resolve(`${name}/package.json`));
	return readFileSync(join(root, ...parts.slice(length)), 'utf8');
}
