import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { startFlags } from '../../../src/cli/bench/app-server';

/** Full collections a churning process makes under `npm start`'s heap limits, letting its heap grow or not. */
function fullCollections(grow: boolean): number {
	const run = spawnSync(process.execPath, [...startFlags(), '--trace-gc', '--import', 'tsx', 'tests/support/heap-churn.ts', ...(grow ? ['grow'] : [])], {
		encoding: 'utf8'
	});
	expect(run.status, run.stderr).toBe(0);
	expect(run.stdout).toContain('kept 200000');
	return run.stdout.split('\n').filter((line) => line.includes('Mark-Compact')).length;
}

describe('letting the heap grow (on PostgreSQL)', () => {
	it('takes effect in a running process, so it makes fewer full collections than under the limit alone', () => {
		const limited = fullCollections(false);
		const grown = fullCollections(true);
		expect(limited).toBeGreaterThan(10);
		expect(grown).toBeLessThan(limited * 0.6);
	});
});
