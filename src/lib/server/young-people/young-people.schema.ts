import type { Gender, YearGroup } from '../db/schema';
import type { FieldErrors } from '../result';
import { field } from '../forms';
import { londonParts } from '../time';

// A young person's year group is never stored: it rolls over each 1 September. What is
// stored is the academic year (by the calendar year it began) in which they were in Reception.

/** The year groups of pupils: Reception to Year 13 (no parents and carers here). */
export type PupilYearGroup = Exclude<YearGroup, 'parents' | 'professionals'>;
export const pupilYearGroups: readonly PupilYearGroup[] = ['R', 'Y1', 'Y2', 'Y3', 'Y4', 'Y5', 'Y6', 'Y7', 'Y8', 'Y9', 'Y10', 'Y11', 'Y12', 'Y13'];
export const genders: readonly Gender[] = ['female', 'male', 'other', 'not_said'];
export const genderLabels: Record<Gender, string> = { female: 'Female', male: 'Male', other: 'Other', not_said: 'Prefers not to say' };

/** The calendar year in which the academic year holding this instant began (1 September, UK time). */
export function academicYearOf(instant: Date): number {
	const [year, month] = londonParts(instant).date.split('-').map(Number) as [number, number];
	return month >= 9 ? year : year - 1;
}

/** Reception is 0, Year 1 to Year 13 are 1 to 13. */
function yearNumber(yearGroup: PupilYearGroup): number {
	return yearGroup === 'R' ? 0 : Number(yearGroup.slice(1));
}

/** The academic year in which someone in this year group in `academicYear` was in Reception. */
export function receptionYearFor(yearGroup: PupilYearGroup, academicYear: number): number {
	return academicYear - yearNumber(yearGroup);
}

/** Their year group in `academicYear`; undefined before Reception or after Year 13 (they have left). */
export function yearGroupIn(receptionYear: number, academicYear: number): PupilYearGroup | undefined {
	const n = academicYear - receptionYear;
	if (!Number.isInteger(n) || n < 0 || n > 13) return undefined;
	return n === 0 ? 'R' : (`Y${n}` as PupilYearGroup);
}

/** "8", "Y8", "Yr 8", "Year 8", "R", "Rec", "Reception" (any case) as a year group. */
export function parseYearGroup(text: string): PupilYearGroup | undefined {
	const value = text.trim().toLowerCase().replace(/\s+/g, ' ');
	if (value === 'r' || value === 'rec' || value === 'reception') return 'R';
	const match = value.match(/^(?:y|yr|year|year group)? ?(\d{1,2})$/);
	if (!match) return undefined;
	const n = Number(match[1]);
	return n >= 1 && n <= 13 ? (`Y${n}` as PupilYearGroup) : undefined;
}

function parseGender(text: string): Gender | null | undefined {
	const value = text
		.trim()
		.toLowerCase()
		.replace(/[\s-]+/g, '_');
	if (value === '') return null;
	if (value === 'f') return 'female';
	if (value === 'm') return 'male';
	if (value === 'prefer_not_to_say' || value === 'not_known') return 'not_said';
	return (genders as readonly string[]).includes(value) ? (value as Gender) : undefined;
}

function parseYesNo(text: string): boolean | null | undefined {
	const value = text.trim().toLowerCase();
	if (value === '') return null;
	if (['yes', 'y', 'true', '1'].includes(value)) return true;
	if (['no', 'n', 'false', '0'].includes(value)) return false;
	return undefined;
}

export const youngPersonFields = ['first_name', 'last_name', 'year_group', 'gender', 'sen', 'free_school_meals'] as const;
/** Field names are the CSV template's column names, so a problem names the column either way. */
export type YoungPersonValues = Record<(typeof youngPersonFields)[number], string>;

export interface YoungPersonInput {
	firstName: string;
	lastName: string;
	yearGroup: PupilYearGroup;
	gender: Gender | null;
	sen: boolean | null;
	freeSchoolMeals: boolean | null;
}

function name(value: string, label: string, errors: FieldErrors, key: string): string {
	const trimmed = value.trim().replace(/\s+/g, ' ');
	if (trimmed === '') errors[key] = `Enter the ${label}`;
	else if (trimmed.length > 100) errors[key] = `The ${label} must be 100 characters or fewer`;
	return trimmed;
}

/** Checks one young person's fields, from the form or a CSV row; messages say what to do. */
export function validateYoungPerson(values: YoungPersonValues): { errors: FieldErrors; input: YoungPersonInput } {
	const errors: FieldErrors = {};
	const firstName = name(values.first_name, 'first name', errors, 'first_name');
	const lastName = name(values.last_name, 'last name', errors, 'last_name');
	const yearGroup = parseYearGroup(values.year_group);
	if (!yearGroup) {
		errors.year_group = values.year_group.trim() === '' ? 'Enter the year group' : 'Year group must be Reception or Year 1 to Year 13, like R, 8, Y8 or Year 8';
	}
	const gender = parseGender(values.gender);
	if (gender === undefined) errors.gender = 'Gender must be female, male, other or not_said, or left blank';
	const sen = parseYesNo(values.sen);
	if (sen === undefined) errors.sen = 'SEN must be yes or no, or left blank';
	const freeSchoolMeals = parseYesNo(values.free_school_meals);
	if (freeSchoolMeals === undefined) errors.free_school_meals = 'Free school meals must be yes or no, or left blank';
	return {
		errors,
		input: { firstName, lastName, yearGroup: yearGroup ?? 'R', gender: gender ?? null, sen: sen ?? null, freeSchoolMeals: freeSchoolMeals ?? null }
	};
}

export function youngPersonValuesFromForm(form: FormData): YoungPersonValues {
	return Object.fromEntries(youngPersonFields.map((f) => [f, field(form, f)])) as YoungPersonValues;
}

/**
 * The key by which two records are the same young person: school-wide, the names ignoring
 * case and the kind of apostrophe, and the year they were in Reception.
 */
export function matchKey(firstName: string, lastName: string, receptionYear: number): string {
	const fold = (s: string) =>
		s
			.trim()
			.replace(/\s+/g, ' ')
			.replace(/[\u2018\u2019\u02BC`]/g, "'")
			.toLocaleLowerCase('en-GB');
	return `${fold(firstName)}\u0000${fold(lastName)}\u0000${receptionYear}`;
}
