// School holidays are the gaps between terms: a day after one term ends and before the next
// starts. Days before the first term known or after the last one are not called holidays (we do
// not know), and weekends inside a term are term. Pure, so schedules and tests can call it.

export interface TermDates {
	academic_year: number;
	name: string;
	first_day: string;
	last_day: string;
}

export interface Holiday {
	/** The term before the holiday and the one after it. */
	after: TermDates;
	before: TermDates;
}

/** The holiday a date ('YYYY-MM-DD') falls in, given the terms in order of their first day. */
export function holidayOn(terms: readonly TermDates[], date: string): Holiday | undefined {
	let after: TermDates | undefined;
	for (const term of terms) {
		if (term.first_day <= date && date <= term.last_day) return undefined;
		if (term.last_day < date && (!after || term.last_day > after.last_day)) after = term;
		if (term.first_day > date) return after ? { after, before: term } : undefined;
	}
	return undefined;
}

/** Which holiday it is, in words: "the holidays between Term 4 and Term 5". */
export function describeHoliday(holiday: Holiday): string {
	return `the school holidays between ${holiday.after.name} and ${holiday.before.name}`;
}
