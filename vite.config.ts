import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { dropPageEtag } from './src/build/drop-page-etag.js';
import { renderResultValues } from './src/build/render-result-values.js';

const databases = ['pglite', ...(process.env.TEST_DATABASE_URL ? ['postgres'] : [])];

export default defineConfig({
	plugins: [dropPageEtag(), renderResultValues(), sveltekit()],
	css: {
		preprocessorOptions: {
			scss: { quietDeps: true, silenceDeprecations: ['import', 'global-builtin'] }
		}
	},
	test: {
		// Each database gets its own project, so every server test runs on PGlite and,
		// when TEST_DATABASE_URL is set, on PostgreSQL too.
		projects: databases.map((database) => ({
			extends: true,
			test: {
				name: database,
				include: ['tests/server/**/*.test.ts'],
				env: { TEST_DB: database },
				globalSetup: ['tests/support/global-setup.ts'],
				testTimeout: 20_000,
				hookTimeout: 60_000
			}
		}))
	}
});
