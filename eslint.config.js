import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { defineConfig, globalIgnores } from 'eslint/config';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default defineConfig(
	// The same list as .prettierignore: build output, generated files, local data and test output.
	globalIgnores([
		'build/',
		'.svelte-kit/',
		'node_modules/',
		'data/',
		'.vitest-data/',
		'.e2e-data/',
		'test-results/',
		'playwright-report/',
		'**/.scratch/',
		'static/'
	]),
	js.configs.recommended,
	ts.configs.recommended,
	svelte.configs.recommended,
	// Prettier owns the layout: turn off every rule that would argue with it.
	prettier,
	svelte.configs.prettier,
	{
		languageOptions: {
			globals: { ...globals.browser, ...globals.node }
		},
		linterOptions: {
			reportUnusedDisableDirectives: 'error'
		},
		rules: {
			// TypeScript checks undefined names itself, and knows the ambient types that no-undef does not.
			'no-undef': 'off',
			// Destructuring a field away to keep the rest (`{ figures: _figures, ...rest }`) is how the code omits one.
			'@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
			// The app is served at the root (no paths.base) and most links carry a query or are built by a server load,
			// which resolve() cannot express; goto() and the history calls are still checked.
			'svelte/no-navigation-without-resolve': ['error', { ignoreLinks: true }],
			// Svelte 5 drops whitespace at the start and end of an element's content, so the space before
			// words for screen readers only is written `<span class="govuk-visually-hidden">{' '}page</span>`,
			// as in JSX; this rule would take the braces away, and the space with them.
			'svelte/no-useless-mustaches': 'off'
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: {
			parserOptions: {
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		}
	},
	{
		files: ['migrations/**'],
		rules: {
			// Kysely's own pattern: a migration is frozen history and must not depend on today's generated DB type.
			'@typescript-eslint/no-explicit-any': 'off'
		}
	}
);
