import { describe, expect, it } from 'vitest';
import { londonParts } from '../../../src/lib/server/time';

// London's wall clock at an instant. The parts of the last minute asked for are kept (most calls
// ask for now), so the same minute must give the same answer however it is asked, and a caller
// changing what it was given must not change the next answer.

describe('londonParts', () => {
	it('gives the wall clock each side of the clocks going forward and back, asked in any order', () => {
		const at = (iso: string) => londonParts(new Date(iso));
		expect(at('2019-03-31T00:59:30Z')).toEqual({ date: '2019-03-31', time: '00:59', weekday: 0 });
		expect(at('2019-03-31T01:00:00Z')).toEqual({ date: '2019-03-31', time: '02:00', weekday: 0 });
		expect(at('2019-03-31T00:59:59Z')).toEqual({ date: '2019-03-31', time: '00:59', weekday: 0 });
		expect(at('2019-10-27T00:30:00Z')).toEqual({ date: '2019-10-27', time: '01:30', weekday: 0 });
		expect(at('2019-10-27T01:30:00Z')).toEqual({ date: '2019-10-27', time: '01:30', weekday: 0 });
		expect(at('2019-12-31T23:59:59.999Z')).toEqual({ date: '2019-12-31', time: '23:59', weekday: 2 });
		expect(at('2020-01-01T00:00:00Z')).toEqual({ date: '2020-01-01', time: '00:00', weekday: 3 });
	});

	it('answers the same minute the same way, whatever the caller did with the last answer', () => {
		const first = londonParts(new Date('2024-07-01T08:15:05Z'));
		first.date = 'changed';
		first.time = 'changed';
		expect(londonParts(new Date('2024-07-01T08:15:55Z'))).toEqual({ date: '2024-07-01', time: '09:15', weekday: 1 });
	});

	it('refuses an instant that is not one', () => {
		expect(() => londonParts(new Date('not a date'))).toThrow(RangeError);
		expect(() => londonParts(new Date('not a date'))).toThrow(RangeError);
	});
});
