import type { AwardChallenge, AwardLevelCode } from '../db/schema';

// The John Muir Award's own requirements, as pure functions: no database, no clock.
// Discovery asks for at least 4 days, Explorer 8, Conserver 20 spread over at least six
// months; every level asks for all Four Challenges, and for at least a quarter of the time
// to serve Conserve.

export const challengeNames: Record<AwardChallenge, string> = {
	discover: 'Discover',
	explore: 'Explore',
	conserve: 'Conserve',
	share: 'Share'
};
const challenges = Object.keys(challengeNames) as AwardChallenge[];

export const minimumDays: Record<AwardLevelCode, number> = { discovery: 4, explorer: 8, conserver: 20 };
export const defaultLevelLabels: Record<AwardLevelCode, string> = { discovery: 'Discovery', explorer: 'Explorer', conserver: 'Conserver' };
/** Conserver's days must span this many months, first day to last. */
export const CONSERVER_MONTHS = 6;

export interface AwardDayInput {
	/** YYYY-MM-DD. */
	day: string;
	challenges: readonly string[];
}

export interface AwardCheck {
	eligible: boolean;
	problems: string[];
}

/** The date `months` calendar months after a YYYY-MM-DD date, clamped to the month's end (31 Aug + 6 months = 28/29 Feb). */
function addMonths(day: string, months: number): string {
	const [y, m, d] = day.split('-').map(Number) as [number, number, number];
	const total = m - 1 + months;
	const year = y + Math.floor(total / 12);
	const month = total % 12;
	const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
	return `${year}-${String(month + 1).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

/** Which of the Four Challenges these days served at least once, in their usual order. */
export function challengesMet(days: readonly AwardDayInput[]): AwardChallenge[] {
	const met = new Set(days.flatMap((d) => d.challenges));
	return challenges.filter((c) => met.has(c));
}

/** Whether days logged at a level meet its requirements, and if not, each problem in words. */
export function checkAward(level: AwardLevelCode, days: readonly AwardDayInput[]): AwardCheck {
	const problems: string[] = [];
	// One row per day is the table's rule; counted by distinct date all the same.
	const dates = [...new Set(days.map((d) => d.day))].sort();
	const needed = minimumDays[level];
	if (dates.length < needed) {
		problems.push(`${needed} days are needed; ${dates.length} ${dates.length === 1 ? 'is' : 'are'} logged`);
	}
	if (level === 'conserver' && dates.length > 0) {
		const first = dates[0]!;
		const last = dates[dates.length - 1]!;
		if (last < addMonths(first, CONSERVER_MONTHS)) {
			problems.push(`The days must be spread over at least ${CONSERVER_MONTHS} months; they run from ${first} to ${last}`);
		}
	}
	const met = new Set(challengesMet(days));
	const missing = challenges.filter((c) => !met.has(c));
	if (missing.length > 0) {
		problems.push(`Every challenge must be met at least once; not yet: ${missing.map((c) => challengeNames[c]).join(', ')}`);
	}
	const conserveDays = new Set(days.filter((d) => d.challenges.includes('conserve')).map((d) => d.day)).size;
	if (dates.length > 0 && conserveDays * 4 < dates.length) {
		problems.push(`At least a quarter of the days must serve Conserve; ${conserveDays} of ${dates.length} do`);
	}
	return { eligible: problems.length === 0, problems };
}
