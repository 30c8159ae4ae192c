import { describe, expect, it } from 'vitest';
import { installedModule } from '../../support/installed-module';
import { GETTERS, LEGACY_SERVER, VALUES, withRenderResultValues } from '../../../src/build/render-result-values.js';

// The installed Svelte's legacy server entry, as the build transforms it: a new Svelte that
// writes the render result another way fails here as well as in the build.
const legacy = installedModule(LEGACY_SERVER);

describe("Svelte's legacy render result, with head and html as values", () => {
	it('replaces the two getters, and nothing else', () => {
		expect(legacy.split(GETTERS)).toHaveLength(2);
		const changed = withRenderResultValues(legacy);
		expect(changed).not.toContain(GETTERS);
		expect(changed).toContain('{ value: result.head }');
		expect(changed).toContain('{ value: result.body }');
		expect(changed.replace(VALUES, GETTERS)).toBe(legacy);
	});

	it('keeps the getters under async mode, where the render is awaited through then', () => {
		const changed = withRenderResultValues(legacy);
		expect(changed).toContain('async_mode_flag ? { get: () => result.head }');
		expect(changed).toContain('async_mode_flag ? { get: () => result.body }');
	});

	it('refuses a module without the getters as written, so the build stops instead of changing it unseen', () => {
		expect(() => withRenderResultValues(legacy.replace(GETTERS, GETTERS.replace('result.body', 'result.html')))).toThrow(/no longer writes head and html/);
		expect(() => withRenderResultValues(legacy + GETTERS)).toThrow(/no longer writes head and html/);
		expect(() => withRenderResultValues(legacy.replace(/import \{ async_mode_flag \} from [^\n]*\n/, ''))).toThrow(/no longer writes head and html/);
	});
});
