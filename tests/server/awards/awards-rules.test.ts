import { describe, expect, it } from 'vitest';
import { checkAward, type AwardDayInput } from '../../../src/lib/server/awards/awards.rules';
import { addDays } from '../../../src/lib/server/time';

const all = ['discover', 'explore', 'conserve', 'share'];

/** `count` consecutive days from `start`, every one serving all four challenges unless told. */
function days(count: number, start = '2019-04-01', challenges: string[] = all, step = 1): AwardDayInput[] {
	return Array.from({ length: count }, (_, i) => ({ day: addDays(start, i * step), challenges }));
}

describe('checkAward', () => {
	it('accepts Discovery with four days that meet every challenge', () => {
		expect(checkAward('discovery', days(4))).toEqual({ eligible: true, problems: [] });
	});

	it('refuses Discovery with three days, and Explorer with seven', () => {
		expect(checkAward('discovery', days(3)).problems).toEqual(['4 days are needed; 3 are logged']);
		expect(checkAward('explorer', days(7)).problems).toEqual(['8 days are needed; 7 are logged']);
		expect(checkAward('explorer', days(8)).eligible).toBe(true);
	});

	it('counts a date logged twice once', () => {
		const twice = [...days(3), { day: '2019-04-01', challenges: all }];
		expect(checkAward('discovery', twice).eligible).toBe(false);
	});

	it('names each challenge never met', () => {
		const noShare = days(4, '2019-04-01', ['discover', 'explore', 'conserve']);
		expect(checkAward('discovery', noShare).problems).toEqual(['Every challenge must be met at least once; not yet: Share']);
	});

	it('refuses when fewer than a quarter of the days served Conserve', () => {
		// Eight days, one of them Conserve: a quarter would be two.
		const week = [{ day: '2019-04-01', challenges: all }, ...days(7, '2019-04-02', ['discover', 'explore', 'share'])];
		expect(checkAward('explorer', week).problems).toEqual(['At least a quarter of the days must serve Conserve; 1 of 8 do']);
		const two = [...week.slice(0, 7), { day: week[7]!.day, challenges: ['conserve'] }];
		expect(checkAward('explorer', two).eligible).toBe(true);
	});

	it('refuses Conserver when twenty days span less than six months', () => {
		// Every eighth day from 1 April 2019: the twentieth is 31 August, short of 1 October.
		const spread = days(20, '2019-04-01', all, 8);
		expect(checkAward('conserver', spread).problems).toEqual(['The days must be spread over at least 6 months; they run from 2019-04-01 to 2019-08-31']);
	});

	it('accepts Conserver with twenty days over exactly six months', () => {
		const spread = [...days(19, '2019-04-01', all, 8), { day: '2019-10-01', challenges: all }];
		expect(checkAward('conserver', spread)).toEqual({ eligible: true, problems: [] });
	});

	it('lists every problem of an empty log', () => {
		const { eligible, problems } = checkAward('conserver', []);
		expect(eligible).toBe(false);
		expect(problems).toEqual(['20 days are needed; 0 are logged', 'Every challenge must be met at least once; not yet: Discover, Explore, Conserve, Share']);
	});
});
