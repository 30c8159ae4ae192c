import { describe, expect, it } from 'vitest';
import { replaceOnce, rewriteModule } from '../../../src/build/rewrite-module.js';

type Hook = (this: unknown, ...args: unknown[]) => unknown;

// The plugin's two hooks, called as Vite calls them.
function plugin() {
	const made = rewriteModule({
		name: 'test-rewrite',
		module: '/some-package/src/entry.js',
		rewrite: (source) => source.replace('old', 'new'),
		source: 'tests'
	});
	return { transform: made.transform as Hook, buildEnd: made.buildEnd as Hook, plugin: made };
}

describe('rewriting one module of the server build', () => {
	it('is a build-only plugin that runs before the others', () => {
		const { plugin: made } = plugin();
		expect(made.name).toBe('ypt-test-rewrite');
		expect(made.apply).toBe('build');
		expect(made.enforce).toBe('pre');
	});

	it('rewrites that module, with or without a query, and leaves every other alone', () => {
		const { transform } = plugin();
		expect(transform.call({}, 'const old = 1;', '/app/node_modules/some-package/src/entry.js')).toEqual({ code: 'const new = 1;', map: null });
		expect(transform.call({}, 'const old = 1;', '/app/node_modules/some-package/src/entry.js?v=3')).toEqual({ code: 'const new = 1;', map: null });
		expect(transform.call({}, 'const old = 1;', '/app/node_modules/some-package/src/other.js')).toBeNull();
	});

	it('fails a server build that never met the module, and not the browser build or a build that already failed', () => {
		const { buildEnd } = plugin();
		expect(() => buildEnd.call({ environment: { name: 'ssr' } })).toThrow(
			'test-rewrite: the server build did not include /some-package/src/entry.js; see tests'
		);
		expect(() => buildEnd.call({ environment: { name: 'client' } })).not.toThrow();
		expect(() => buildEnd.call({ environment: { name: 'ssr' } }, new Error('earlier'))).not.toThrow();
	});

	it('lets a server build that met the module finish', () => {
		const { transform, buildEnd } = plugin();
		transform.call({}, 'const old = 1;', '/app/node_modules/some-package/src/entry.js');
		expect(() => buildEnd.call({ environment: { name: 'ssr' } })).not.toThrow();
	});
});

describe('replacing what a rewrite changes', () => {
	it('replaces text found exactly once, and refuses text missing or found twice', () => {
		expect(replaceOnce('a old b', 'old', 'new')).toBe('a new b');
		expect(replaceOnce('a b', 'old', 'new')).toBeNull();
		expect(replaceOnce('old old', 'old', 'new')).toBeNull();
	});
});
