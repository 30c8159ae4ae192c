import { describe, expect, it } from 'vitest';
import { installedModule } from '../../support/installed-module';
import { ETAG_LINE, RENDERER, withoutPageEtag } from '../../../src/build/drop-page-etag.js';

// The installed SvelteKit's renderer, as the build transforms it: a new SvelteKit that sets the
// ETag another way fails here as well as in the build.
const renderer = installedModule(RENDERER);

describe('dropping the ETag of rendered pages', () => {
	it('takes out the one line that hashes the page, and nothing else', () => {
		expect(renderer.split(ETAG_LINE)).toHaveLength(2);
		const changed = withoutPageEtag(renderer);
		expect(changed).not.toContain("'etag'");
		expect(changed).not.toContain('hash(transformed)');
		expect(changed.replace('/* ETag dropped by src/build/drop-page-etag.js */', ETAG_LINE)).toBe(renderer);
	});

	it('refuses a renderer without the line, so the build stops instead of hashing again unseen', () => {
		expect(() => withoutPageEtag(renderer.replace(ETAG_LINE, "headers.set('etag', hash(transformed));"))).toThrow(/no longer sets the ETag/);
		expect(() => withoutPageEtag(renderer + ETAG_LINE)).toThrow(/no longer sets the ETag/);
	});
});
