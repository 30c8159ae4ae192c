// The one way this app's build changes a dependency's source: a Vite plugin that rewrites one
// module of the server build as the app is built (not under `vite dev`), and fails a server
// build that never met the module, so a dependency that moves it cannot skip the change unseen.
// Each rewrite throws when the source is not as it expects (drop-page-etag.js, render-result-values.js):
// `replaceOnce` finds what it changes, there exactly once.

/**
 * `source` with `text` replaced by `replacement`, or null when `text` is not there exactly once.
 * @param {string} source
 * @param {string} text
 * @param {string} replacement
 * @returns {string | null}
 */
export function replaceOnce(source, text, replacement) {
	const at = source.indexOf(text);
	if (at === -1 || source.indexOf(text, at + 1) !== -1) return null;
	return source.slice(0, at) + replacement + source.slice(at + text.length);
}

/**
 * @param {{ name: string, module: string, rewrite: (source: string) => string, source: string }} plan
 *   `name` the plugin's (and its errors'), `module` the path the module's id ends with,
 *   `rewrite` the change, `source` the file that says why, for the error.
 * @returns {import('vite').Plugin}
 */
export function rewriteModule({ name, module, rewrite, source }) {
	let changed = false;
	return {
		name: `ypt-${name}`,
		apply: 'build',
		enforce: 'pre',
		transform(code, id) {
			if (!(id.split('?')[0] ?? '').endsWith(module)) return null;
			changed = true;
			return { code: rewrite(code), map: null };
		},
		buildEnd(error) {
			if (!error && this.environment?.name === 'ssr' && !changed) {
				throw new Error(`${name}: the server build did not include ${module}; see ${source}`);
			}
		}
	};
}
