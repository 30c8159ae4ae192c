import { describe, expect, it } from 'vitest';
import { formatCount } from '../../../src/lib/format';

// formatCount writes small whole counts without Intl (issue 15: a county's by-school page writes
// 14,000 figures): it must write every count exactly as Intl's en-GB numbers do.
describe('formatCount', () => {
	const intl = new Intl.NumberFormat('en-GB');

	it('writes every count as Intl does, around the fast path’s edges', () => {
		const values = [0, -0, 1, 7, 999, 1000, 1001, 12345, 1234567, -1, -999, -1000, 0.5, 999.4, 999.6, 1e21, Number.NaN, Infinity];
		for (let n = 0; n <= 2000; n++) values.push(n);
		// Whole counts from a thousand up are written by hand too: each length of number, and the largest safe whole number and past it.
		for (let digits = 4; digits <= 16; digits++) values.push(10 ** (digits - 1), 10 ** digits - 1, Math.floor(10 ** (digits - 1) * 1.234567));
		values.push(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, 2 ** 60);
		for (const value of values) expect(formatCount(value), String(value)).toBe(intl.format(value));
	});

	it('groups thousands', () => {
		expect(formatCount(1376)).toBe('1,376');
		expect(formatCount(250000)).toBe('250,000');
	});
});
