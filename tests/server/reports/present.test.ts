import { describe, expect, it } from 'vitest';
import { formatCell } from '../../../src/lib/server/reports/present';

// formatCell hands out shared, frozen cells for hidden figures and whole counts below a
// thousand (issue 15: a county's by-school page presents 10,000 cells on every request). They
// must be what it would have made for each cell, and no report may change one under another.
describe('formatCell', () => {
	const made = (value: number) => ({ text: new Intl.NumberFormat('en-GB').format(value), value });

	it('presents every count as its figure, shared or not', () => {
		for (const value of [0, 1, 7, 999, 1000, 1001, 12345, 2.5, 999.5]) expect(formatCell({ value, hidden: false, reason: null }, 'count')).toEqual(made(value));
		for (let value = 0; value < 1200; value++) expect(formatCell({ value, hidden: false, reason: null }, 'count')).toEqual(made(value));
	});

	it('presents a hidden figure as c with no value, whatever it was', () => {
		expect(formatCell({ value: 3, hidden: true, reason: 'primary' }, 'count')).toEqual({ text: 'c', value: null });
		expect(formatCell({ value: 0.5, hidden: true, reason: 'derived' }, 'percent')).toEqual({ text: 'c', value: null });
	});

	it('presents a figure that does not apply as n/a', () => {
		expect(formatCell({ value: Number.NaN, hidden: false, reason: null }, 'percent')).toEqual({ text: 'n/a', value: null });
	});

	it('hands out shared cells that cannot be changed', () => {
		const cell = formatCell({ value: 12, hidden: false, reason: null }, 'count');
		expect(formatCell({ value: 12, hidden: false, reason: null }, 'count')).toBe(cell);
		expect(Object.isFrozen(cell)).toBe(true);
		expect(Object.isFrozen(formatCell({ value: 1, hidden: true, reason: 'primary' }, 'count'))).toBe(true);
	});

	it('presents negative zero as a new 0 cell, as Intl writes it', () => {
		expect(formatCell({ value: -0, hidden: false, reason: null }, 'count')).toEqual({ text: '-0', value: -0 });
	});
});
