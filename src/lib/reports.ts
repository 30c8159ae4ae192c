// Shared by the report pages and their components: only figures the server has already put
// through disclosure control arrive here, as text and, when shown, a number.
import { formatDay } from './format';

export interface ShownCell {
	text: string;
	/** Null when the figure is hidden (`c`) or does not apply (`n/a`). */
	value: number | null;
}

export type Cells = Record<string, ShownCell>;

export interface ReportColumn {
	measure: string;
	label: string;
	people: boolean;
}

const shortMonth = new Intl.DateTimeFormat('en-GB', { month: 'short', timeZone: 'UTC' });

/** "1 September 2018" for 2018-09-01. */
export function formatReportDate(iso: string): string {
	let text = reportDates.get(iso);
	if (text === undefined) {
		text = formatDay(iso);
		// A period's first and last days: few, asked for on every report page.
		if (reportDates.size >= 500) reportDates.clear();
		reportDates.set(iso, text);
	}
	return text;
}

const reportDates = new Map<string, string>();

/** "Apr to Jun 2019" for the quarter starting 2019-04-01: short enough for a chart's axis. */
export function quarterShortLabel(from: string): string {
	const start = new Date(`${from}T00:00:00Z`);
	const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 2, 1));
	return `${shortMonth.format(start)} to ${shortMonth.format(end)} ${end.getUTCFullYear()}`;
}

/** "Quarter 2 of 2018 to 2019" for the quarter starting 2018-07-01 (financial quarters start in April). */
export function financialQuarterName(from: string): string {
	const [year, month] = from.split('-').map(Number) as [number, number];
	const start = month >= 4 ? year : year - 1;
	const quarter = month >= 4 ? Math.floor((month - 4) / 3) + 1 : 4;
	return `Quarter ${quarter} of ${start} to ${start + 1}`;
}

export const periodKinds = [
	{ value: 'academic', label: 'Academic year (1 September to 31 August)' },
	{ value: 'financial', label: 'Financial year (1 April to 31 March)' },
	{ value: 'quarter', label: 'Quarter of a financial year' },
	{ value: 'dates', label: 'Dates' }
] as const;

/** The kinds of period each period field of the report filter is for; the others ignore it. */
export const periodFields = {
	year: ['academic', 'financial', 'quarter'],
	quarter: ['quarter'],
	from: ['dates'],
	to: ['dates']
} as const satisfies Record<string, readonly (typeof periodKinds)[number]['value'][]>;

export const quarterOptions = [
	{ value: '1', label: 'Quarter 1 (April to June)' },
	{ value: '2', label: 'Quarter 2 (July to September)' },
	{ value: '3', label: 'Quarter 3 (October to December)' },
	{ value: '4', label: 'Quarter 4 (January to March)' }
] as const;

export interface Headline {
	label: string;
	text: string;
	detail?: string;
}

type Shape = 'event' | 'carousel' | 'cohort' | 'award' | 'workshop';

/**
 * The headline figures of a total, in the order the overview and programme pages show them.
 * Given a programme's shape, only the figures that kind of programme has: a mentoring
 * programme's mentors and mentees, a carousel's workstation visits, not the other's zeros.
 */
export function headlines(cells: Cells, shape?: Shape): Headline[] {
	const c = (measure: string) => cells[measure]?.text ?? 'n/a';
	const all: (Headline & { for?: Shape[] })[] = [
		{ label: 'Young people reached', text: c('youngPeopleReached'), detail: 'different young people, each counted once' },
		{ label: 'Places booked', text: c('placesBooked'), detail: 'confirmed to schools at delivered sessions' },
		{ label: 'Attended', text: c('attended') },
		{ label: 'Attendance rate', text: c('attendanceRate'), detail: 'attended out of expected' },
		{ label: 'Sessions delivered', text: c('sessionsDelivered'), detail: `${c('sessionsCancelled')} cancelled` },
		{ label: 'Workstation visits', text: c('stationVisits'), detail: 'pupils counted through each workstation, added up', for: ['carousel'] },
		{ label: 'Mentors', text: c('mentors'), detail: 'different mentors who met in the period', for: ['cohort'] },
		{ label: 'Mentees', text: c('mentees'), detail: 'different mentees who met in the period', for: ['cohort'] },
		{ label: 'Mentoring meetings', text: c('meetings'), detail: `${c('hours')} hours`, for: ['cohort'] },
		{ label: 'Discovery awards', text: c('discovery'), detail: 'John Muir Award, the first level', for: ['award'] },
		{ label: 'Explorer awards', text: c('explorer'), detail: 'John Muir Award, the second level', for: ['award'] },
		{ label: 'Conserver awards', text: c('conserver'), detail: 'John Muir Award, the third level', for: ['award'] },
		{ label: 'Parents and carers at workshops', text: c('parents'), for: ['workshop'] },
		{ label: 'Frontline professionals trained', text: c('professionals'), detail: 'counted apart from young people', for: ['workshop'] }
	];
	return all.filter((h) => !shape || !h.for || h.for.includes(shape)).map(({ for: _for, ...headline }) => headline);
}

/** Builds a link to the same page with some search parameters changed (others kept). */
export function withParams(url: URL, changes: Record<string, string | null>): string {
	const params = new URLSearchParams(url.searchParams);
	for (const [name, value] of Object.entries(changes)) {
		if (value === null) params.delete(name);
		else params.set(name, value);
	}
	const query = params.toString();
	return query ? `${url.pathname}?${query}` : url.pathname;
}

const localDateTime = new Intl.DateTimeFormat('en-GB', {
	weekday: 'short',
	day: 'numeric',
	month: 'short',
	year: 'numeric',
	hour: '2-digit',
	minute: '2-digit',
	timeZone: 'UTC'
});

/** "Tue 20 Nov 2018, 09:30" for a UK wall-clock time given as 2018-11-20T09:30 (already in UK time). */
export function formatLocalDateTime(local: string): string {
	return localDateTime.format(new Date(`${local}:00Z`));
}
