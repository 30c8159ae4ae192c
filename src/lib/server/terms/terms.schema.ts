import type { FieldErrors } from '../result';
import { field } from '../forms';
import { isRealDate } from '../time';
import { formatDay } from '../../format';

export interface TermValues {
	academicYear: string;
	name: string;
	firstDay: string;
	lastDay: string;
	source: string;
}

export interface TermInput {
	academicYear: number;
	name: string;
	firstDay: string;
	lastDay: string;
	source: string;
}

export function termValuesFromForm(form: FormData): TermValues {
	return {
		academicYear: field(form, 'academicYear'),
		name: field(form, 'name'),
		firstDay: field(form, 'firstDay'),
		lastDay: field(form, 'lastDay'),
		source: field(form, 'source')
	};
}

/** '2026 to 2027' for the academic year starting in 2026. */
export const academicYearLabel = (year: number) => `${year} to ${year + 1}`;

/** The first and last days of an academic year: 1 September to 31 August. */
export function academicYearSpan(year: number): { first: string; last: string } {
	return { first: `${year}-09-01`, last: `${year + 1}-08-31` };
}

/** Checks a term's form on its own; overlaps with other terms are the service's to find. */
export function validateTerm(values: TermValues): { errors: FieldErrors; input: TermInput } {
	const errors: FieldErrors = {};
	const year = /^\d{4}$/.test(values.academicYear) ? Number(values.academicYear) : NaN;
	if (values.academicYear === '') errors.academicYear = 'Enter the year the academic year starts in, like 2026';
	else if (Number.isNaN(year) || year < 2000 || year > 2100) errors.academicYear = 'Enter the year the academic year starts in as 4 digits, like 2026';
	if (values.name === '') errors.name = 'Enter the name of the term, like Term 1';
	else if (values.name.length > 60) errors.name = 'The name must be 60 characters or fewer';
	if (!isRealDate(values.firstDay)) errors.firstDay = 'Enter the first day of the term as a real date';
	if (!isRealDate(values.lastDay)) errors.lastDay = 'Enter the last day of the term as a real date';
	else if (!errors.firstDay && values.lastDay < values.firstDay) errors.lastDay = 'The last day must be the same as or after the first day';
	if (!errors.academicYear) {
		const span = academicYearSpan(year);
		const within = `the ${academicYearLabel(year)} academic year (${formatDay(span.first)} to ${formatDay(span.last)})`;
		if (!errors.firstDay && (values.firstDay < span.first || values.firstDay > span.last)) errors.firstDay = `The first day must be in ${within}`;
		if (!errors.lastDay && (values.lastDay < span.first || values.lastDay > span.last)) errors.lastDay = `The last day must be in ${within}`;
	}
	if (values.source === '') errors.source = 'Enter where the dates come from, like Kent County Council published dates';
	else if (values.source.length > 200) errors.source = 'The source must be 200 characters or fewer';
	return { errors, input: { academicYear: year, name: values.name, firstDay: values.firstDay, lastDay: values.lastDay, source: values.source } };
}
