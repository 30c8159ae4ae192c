// SvelteKit renders every page through Svelte's legacy `asClassComponent` (its generated root.js),
// whose `render` answers an object with `head` and `html` as getters, each a new closure over
// that render's output. V8 keeps a getter in an AccessorPair it allocates in the old generation,
// which only a full collection frees, so each page's output, and what it was rendered from,
// outlived every young-generation collection until the next full one. On the county's district
// overview (issue 15; a tenth of the county, 10 clients over HTTP, three rounds of 8 s for each
// build, taking turns): 83 KB a request promoted to the old generation, against 31-33 KB with
// `head` and `html` as plain values; 0.11 ms of garbage collection a request against 0.05 ms;
// and 1,009-1,052 requests a second against 1,166-1,184 (a bare page: 2,293-2,346 against
// 2,368-2,476). SvelteKit reads both at once, straight after the call, so nothing is lost by
// working them out there. Under Svelte's async mode (not used here) the getters stay.
//
// This changes the two lines as the app is built (not under `vite dev`), and stops the build if
// they are not there as written (a new Svelte may have changed them: look again before changing
// the text below).

import { replaceOnce, rewriteModule } from './rewrite-module.js';

/** Svelte's legacy entry for the server, as its package ships it. */
export const LEGACY_SERVER = '/svelte/src/legacy/legacy-server.js';

/** The two getters, as Svelte 5.59 writes them. */
export const GETTERS = `
				head: {
					get: () => result.head
				},
				html: {
					get: () => result.body
				},`;

/** The same properties as values, worked out when `render` is called (outside async mode). */
export const VALUES = `
				head: async_mode_flag ? { get: () => result.head } : { value: result.head },
				html: async_mode_flag ? { get: () => result.body } : { value: result.body },`;

/**
 * The legacy entry's source with `head` and `html` as values; an error when the getters are not
 * found exactly once, or the module no longer reads `async_mode_flag`.
 * @param {string} source
 * @returns {string}
 */
export function withRenderResultValues(source) {
	const changed = replaceOnce(source, GETTERS, VALUES);
	if (changed === null || !/import \{ async_mode_flag \} from /.test(source)) {
		throw new Error(`render-result-values: ${LEGACY_SERVER} no longer writes head and html as this plugin expects; see src/build/render-result-values.js`);
	}
	return changed;
}

/**
 * The Vite plugin: applies `withRenderResultValues` to Svelte's legacy server entry, and fails a
 * server build that never met it.
 * @returns {import('vite').Plugin}
 */
export function renderResultValues() {
	return rewriteModule({
		name: 'render-result-values',
		module: LEGACY_SERVER,
		rewrite: withRenderResultValues,
		source: 'src/build/render-result-values.js'
	});
}
