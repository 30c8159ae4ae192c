import { describe, expect, it } from 'vitest';
import type { Cell } from '../../../src/lib/server/reports/disclosure';
import { byScope, figureName } from '../../../src/lib/server/reports/linked-figures';
import { academicYear, financialQuarter, financialYear } from '../../../src/lib/server/reports/periods';

// A report's table looks its decided cells up by scope and measure (issue 15), not by building
// each figure's name: the same cells, for the period asked only.
describe('byScope', () => {
	const periods = [financialYear(2024), financialQuarter(2024, 1), academicYear(2024)];
	const scopes = ['total', 'programme 1f0e', 'school 2a9b', 'programme 1f0e school 2a9b'];
	const measures = ['youngPeopleReached', 'attended', 'parents'];
	const cells = new Map<string, Cell>();
	let n = 0;
	for (const period of periods)
		for (const scope of scopes)
			for (const measure of measures) cells.set(figureName(measure, period, scope), { value: n++, hidden: n % 3 === 0, reason: null });

	it('holds every cell of the period under its scope and measure, and no other period’s', () => {
		for (const period of periods) {
			const index = byScope(cells, period);
			expect([...index.keys()].sort()).toEqual([...scopes].sort());
			for (const scope of scopes)
				for (const measure of measures)
					expect(index.get(scope)?.get(measure), `${period.label} ${scope} ${measure}`).toBe(cells.get(figureName(measure, period, scope)));
			expect([...index.values()].reduce((sum, m) => sum + m.size, 0)).toBe(scopes.length * measures.length);
		}
	});

	it('is made once per decision and period', () => {
		const period = periods[0]!;
		expect(byScope(cells, period)).toBe(byScope(cells, period));
		expect(byScope(new Map(cells), period)).not.toBe(byScope(cells, period));
	});
});
