import { addDays, londonParts } from '../time';

// Reporting periods, as inclusive ranges of UK dates. The academic year runs 1 September to
// 31 August and the financial year 1 April to 31 March; its quarters are Q1 April to June
// through Q4 January to March. A session belongs to the period holding its UK start date.

export type PeriodKind = 'academic' | 'financial' | 'quarter' | 'dates';

export interface Period {
	kind: PeriodKind;
	/** YYYY-MM-DD, inclusive. */
	from: string;
	/** YYYY-MM-DD, inclusive. */
	to: string;
	label: string;
	/** The search parameters that select this period again. */
	query: Record<string, string>;
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

function isRealDate(text: string): boolean {
	if (!isoDate.test(text)) return false;
	const d = new Date(`${text}T00:00:00Z`);
	return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

function lastDayOfMonth(year: number, month: number): string {
	return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}

export function academicYear(start: number): Period {
	return {
		kind: 'academic',
		from: `${start}-09-01`,
		to: `${start + 1}-08-31`,
		label: `Academic year ${start} to ${start + 1}`,
		query: { period: 'academic', year: String(start) }
	};
}

export function financialYear(start: number): Period {
	return {
		kind: 'financial',
		from: `${start}-04-01`,
		to: `${start + 1}-03-31`,
		label: `Financial year ${start} to ${start + 1}`,
		query: { period: 'financial', year: String(start) }
	};
}

/** Quarter 1 to 4 of the financial year starting in April of `start`. */
export function financialQuarter(start: number, quarter: 1 | 2 | 3 | 4): Period {
	const firstMonth = [4, 7, 10, 1][quarter - 1]!;
	const year = quarter === 4 ? start + 1 : start;
	return {
		kind: 'quarter',
		from: `${year}-${String(firstMonth).padStart(2, '0')}-01`,
		to: lastDayOfMonth(year, firstMonth + 2),
		label: `Quarter ${quarter} of ${start} to ${start + 1} (${monthName(firstMonth)} to ${monthName(firstMonth + 2)} ${year})`,
		query: { period: 'quarter', year: String(start), quarter: String(quarter) }
	};
}

export function dateRange(from: string, to: string): Period {
	return { kind: 'dates', from, to, label: `${from} to ${to}`, query: { period: 'dates', from, to } };
}

/** The same period a year before: last academic or financial year, or the same quarter of it. */
export function yearBefore(period: Period): Period {
	const year = Number(period.query.year);
	switch (period.kind) {
		case 'academic':
			return academicYear(year - 1);
		case 'financial':
			return financialYear(year - 1);
		case 'quarter':
			return financialQuarter(year - 1, Number(period.query.quarter) as 1 | 2 | 3 | 4);
		case 'dates': {
			// 29 February a year back is the 28th.
			const back = (day: string) => `${Number(day.slice(0, 4)) - 1}${day.slice(4) === '-02-29' ? '-02-28' : day.slice(4)}`;
			return dateRange(back(period.from), back(period.to));
		}
	}
}

function monthName(month: number): string {
	return new Date(Date.UTC(2000, month - 1, 1)).toLocaleString('en-GB', { month: 'long', timeZone: 'UTC' });
}

/** The academic year (by its starting calendar year) holding a UK date. */
export function academicYearOfDate(date: string): number {
	const [y, m] = date.split('-').map(Number) as [number, number];
	return m >= 9 ? y : y - 1;
}

/** The financial year (by its starting calendar year) holding a UK date. */
export function financialYearOfDate(date: string): number {
	const [y, m] = date.split('-').map(Number) as [number, number];
	return m >= 4 ? y : y - 1;
}

/** The financial quarter holding a UK date, as a period. */
export function quarterOfDate(date: string): Period {
	const month = Number(date.slice(5, 7));
	const quarter = (month >= 4 ? Math.floor((month - 4) / 3) + 1 : 4) as 1 | 2 | 3 | 4;
	return financialQuarter(financialYearOfDate(date), quarter);
}

/** Every financial quarter that overlaps the period, in order. */
export function quartersIn(period: Pick<Period, 'from' | 'to'>): Period[] {
	const quarters: Period[] = [];
	for (let q = quarterOfDate(period.from); q.from <= period.to; q = quarterOfDate(addDays(q.to, 1))) quarters.push(q);
	return quarters;
}

/** Whether the period is made of whole calendar months (every academic or financial year and quarter is). */
export function isWholeMonths(period: Pick<Period, 'from' | 'to'>): boolean {
	const [y, m] = period.to.split('-').map(Number) as [number, number];
	return period.from.endsWith('-01') && period.to === lastDayOfMonth(y, m);
}

/** The period asked for; after a bad choice, the default period and a message per wrong field. */
export interface PeriodChoice {
	period: Period;
	errors: Record<string, string>;
}

/**
 * The period a report's search parameters ask for. With none, the current academic year.
 * A bad choice keeps the default period and names the field that was wrong.
 */
export function parsePeriod(params: URLSearchParams, today = londonParts(new Date()).date): PeriodChoice {
	const fallback = academicYear(academicYearOfDate(today));
	const kind = params.get('period') ?? 'academic';
	const year = Number(params.get('year') ?? '');
	const validYear = Number.isInteger(year) && year >= 2000 && year <= 2100;
	switch (kind) {
		case 'academic':
			if (!params.has('year')) return { period: fallback, errors: {} };
			return validYear
				? { period: academicYear(year), errors: {} }
				: { period: fallback, errors: { year: 'Enter the year the period starts as 4 digits, like 2018' } };
		case 'financial':
			if (!params.has('year')) return { period: financialYear(financialYearOfDate(today)), errors: {} };
			return validYear
				? { period: financialYear(year), errors: {} }
				: { period: fallback, errors: { year: 'Enter the year the period starts as 4 digits, like 2018' } };
		case 'quarter': {
			const quarter = Number(params.get('quarter'));
			const errors: Record<string, string> = {};
			if (!validYear) errors.year = 'Enter the year the financial year starts as 4 digits, like 2018';
			if (![1, 2, 3, 4].includes(quarter)) errors.quarter = 'Choose a quarter from 1 to 4';
			if (Object.keys(errors).length > 0) return { period: fallback, errors };
			return { period: financialQuarter(year, quarter as 1 | 2 | 3 | 4), errors: {} };
		}
		case 'dates': {
			const from = params.get('from') ?? '';
			const to = params.get('to') ?? '';
			const errors: Record<string, string> = {};
			if (!isRealDate(from)) errors.from = 'Enter the first day as a real date, like 2019-04-01';
			if (!isRealDate(to)) errors.to = 'Enter the last day as a real date, like 2020-03-31';
			if (Object.keys(errors).length === 0 && to < from) errors.to = 'The last day must be the same as or after the first day';
			if (Object.keys(errors).length === 0 && Number(to.slice(0, 4)) - Number(from.slice(0, 4)) > 10) errors.to = 'Choose a period of 10 years or less';
			if (Object.keys(errors).length > 0) return { period: fallback, errors };
			return { period: dateRange(from, to), errors: {} };
		}
		default:
			return { period: fallback, errors: { period: 'Choose a kind of period' } };
	}
}
