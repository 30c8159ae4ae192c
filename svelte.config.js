import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ precompress: true }),
		// A strict Content Security Policy: no inline scripts except SvelteKit's own, hashed. Hashes,
		// not nonces: a kept report page (reports/kept.ts) is the same HTML each time it is served,
		// and a nonce used twice is no nonce. No inline styles: only style attributes, which
		// SvelteKit's route announcer needs (they cannot load anything or select elements).
		// Cross-site form posts are refused in hooks.server.ts (web/csrf.ts), as SvelteKit would,
		// and audited, which SvelteKit's own check (done before any hook) cannot do.
		csrf: { trustedOrigins: ['*'] },
		// The service worker keeps registers for use without a connection; it is registered by
		// static/register-offline.js on register pages only, not on every page SvelteKit hydrates.
		serviceWorker: { register: false },
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self'],
				'style-src-attr': ['unsafe-inline'],
				'img-src': ['self', 'data:'],
				'font-src': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none'],
				'base-uri': ['self'],
				'object-src': ['none']
			}
		}
	}
};

export default config;
