import type { SchoolPhase, YearGroup } from '$lib/server/db/schema';

export const yearGroupLabels: Record<YearGroup, string> = {
	R: 'Reception',
	Y1: 'Year 1',
	Y2: 'Year 2',
	Y3: 'Year 3',
	Y4: 'Year 4',
	Y5: 'Year 5',
	Y6: 'Year 6',
	Y7: 'Year 7',
	Y8: 'Year 8',
	Y9: 'Year 9',
	Y10: 'Year 10',
	Y11: 'Year 11',
	Y12: 'Year 12',
	Y13: 'Year 13',
	parents: 'Parents and carers',
	professionals: 'Frontline professionals'
};

export const yearGroupOptions = Object.entries(yearGroupLabels).map(([value, label]) => ({ value, label }));

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `Y${from + i}` as YearGroup);

/** Who is not a pupil: counted apart from young people in every report. */
export const adultAudiences: readonly YearGroup[] = ['parents', 'professionals'];

/**
 * The year groups a school of each phase teaches; any school can bring parents and carers, and
 * book places for its own staff at training for frontline professionals.
 */
export const phaseYearGroups: Record<SchoolPhase, YearGroup[]> = {
	primary: ['R', ...range(1, 6), 'parents', 'professionals'],
	secondary: [...range(7, 13), 'parents', 'professionals'],
	'all-through': ['R', ...range(1, 13), 'parents', 'professionals'],
	special: ['R', ...range(1, 13), 'parents', 'professionals'],
	college: [...range(12, 13), 'parents', 'professionals']
};

/** "Year 6", "Year 7 to Year 9", "Reception to Year 6, parents and carers", "Frontline professionals": year groups in words. */
export function describeYearGroups(groups: readonly YearGroup[]): string {
	const order = Object.keys(yearGroupLabels) as YearGroup[];
	const sorted = [...groups].sort((a, b) => order.indexOf(a) - order.indexOf(b));
	const years = sorted.filter((g) => !adultAudiences.includes(g));
	const parts: string[] = [];
	if (years.length === 1) parts.push(yearGroupLabels[years[0]!]);
	else if (years.length > 1) {
		const contiguous = years.every((g, i) => i === 0 || order.indexOf(g) === order.indexOf(years[i - 1]!) + 1);
		parts.push(contiguous ? `${yearGroupLabels[years[0]!]} to ${yearGroupLabels[years.at(-1)!]}` : years.map((g) => yearGroupLabels[g]).join(', '));
	}
	if (sorted.includes('parents')) parts.push(parts.length ? 'parents and carers' : 'Parents and carers');
	if (sorted.includes('professionals')) parts.push(parts.length ? 'frontline professionals' : 'Frontline professionals');
	return parts.join(', ');
}
