// SvelteKit gives every page it renders an ETag: a djb2 hash of the whole page, walked
// character by character on every request. It serves nothing here. Signed-in pages are sent
// `no-store` (hooks.server.ts), so no browser keeps one to ask again with If-None-Match, and the
// few public pages are small. On a county's by-school report (360 KB, 600 rows) the server spent
// 27-31 ms of CPU a request without it against 29-35 ms with it (three runs of 300 requests,
// builds taking turns); SvelteKit has no option to turn it off. This takes the one line out of
// SvelteKit's renderer as the app is built (not under `vite dev`), and stops the build if that
// line is not there as written (a new SvelteKit may have moved it: look again before changing
// the text below).

import { replaceOnce, rewriteModule } from './rewrite-module.js';

/** SvelteKit's renderer, as its package ships it. */
export const RENDERER = '/@sveltejs/kit/src/runtime/server/page/render.js';

/** The line that sets a rendered page's ETag (SvelteKit 2.70). */
export const ETAG_LINE = 'headers.set(\'etag\', `"${hash(transformed)}"`);';

/**
 * The renderer's source without the ETag line; an error when the line is not found exactly once.
 * @param {string} source
 * @returns {string}
 */
export function withoutPageEtag(source) {
	const changed = replaceOnce(source, ETAG_LINE, '/* ETag dropped by src/build/drop-page-etag.js */');
	if (changed === null) {
		throw new Error(`drop-page-etag: ${RENDERER} no longer sets the ETag as this plugin expects; see src/build/drop-page-etag.js`);
	}
	return changed;
}

/**
 * The Vite plugin: applies `withoutPageEtag` to SvelteKit's renderer, and fails a server build that never met it.
 * @returns {import('vite').Plugin}
 */
export function dropPageEtag() {
	return rewriteModule({ name: 'drop-page-etag', module: RENDERER, rewrite: withoutPageEtag, source: 'src/build/drop-page-etag.js' });
}
