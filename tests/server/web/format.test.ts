import { describe, expect, it } from 'vitest';
import { formatCount, formatDateTime, formatOneDecimal } from '../../../src/lib/format';

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

// formatOneDecimal writes figures to a decimal place by hand too, and must agree with Intl on
// everything it does not hand to Intl: ties (the number nearest 0.15 is a little under it, and Intl writes 0.2),
// a negative figure that rounds to 0.0, nines that carry into the thousands.
describe('formatOneDecimal', () => {
	const intl = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
	const agrees = (value: number) => expect(formatOneDecimal(value), String(value)).toBe(intl.format(value));

	it('writes the edges as Intl does', () => {
		const values = [0, -0, 0.05, 0.15, 0.25, 0.35, 1.45, -0.04, -0.05, -0.25, 0.95, 9.95, 99.95, 999.95, 999999.95, 1234.55, -1234.56];
		values.push(1e-6, 1.5e-6, 9.9e-7, -9.9e-7, 0.049999999, 1e15 - 0.5, 1e15, 1e15 + 2, 1e21, 1e22, Number.NaN, Infinity, -Infinity, Number.MIN_VALUE);
		for (const value of values) agrees(value);
	});

	it('writes random figures as Intl does', () => {
		// A fixed sequence (a linear congruential generator), so a failure can be run again.
		let seed = 15;
		const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
		for (let i = 0; i < 20000; i++) {
			const places = Math.floor(next() * 4);
			const size = 10 ** Math.floor(next() * 10);
			const raw = (next() - 0.3) * size;
			// Figures as the reports make them (a few decimal places: means, hours) and any double at all.
			agrees(i % 2 === 0 ? Number(raw.toFixed(places)) : raw);
		}
	});
});

describe('formatDateTime', () => {
	const intl = new Intl.DateTimeFormat('en-GB', {
		timeZone: 'Europe/London',
		day: 'numeric',
		month: 'short',
		year: 'numeric',
		hour: '2-digit',
		minute: '2-digit'
	});

	it('writes each moment as Intl does, the one it remembers or another', () => {
		const moments = ['2026-12-06T03:36:35.232Z', '2026-07-01T12:05:00Z', '2026-12-06T03:36:35.232Z', '2026-12-06T03:36:35.232Z'];
		for (const moment of moments) {
			expect(formatDateTime(moment)).toBe(intl.format(new Date(moment)));
			expect(formatDateTime(new Date(moment))).toBe(intl.format(new Date(moment)));
		}
		expect(formatDateTime('2026-07-01T12:05:00Z')).toBe('1 Jul 2026, 13:05');
	});

	it('refuses a moment that is not one, each time', () => {
		expect(() => formatDateTime('not a date')).toThrow(RangeError);
		expect(() => formatDateTime('not a date')).toThrow(RangeError);
	});
});
