import { yearGroups, type YearGroup } from '../db/schema';
import type { FieldErrors } from '../result';
import { field, oneOf } from '../forms';
import { addDays, fromLondon, isRealDate, isTime } from '../time';
import { academicYearOf } from '../young-people/young-people.schema';
import { formatDay } from '../../format';

export const MAX_SERIES = 52;

export interface SessionValues {
	date: string;
	startTime: string;
	endTime: string;
	venue: string;
	capacity: string;
	bookingOpens: string;
	bookingCloses: string;
	yearGroups: string[];
	schoolCap: string;
	requiresApproval: boolean;
	rotationMinutes: string;
	repeat: string; // 'none' | 'weekdays' | 'weekly'
	repeatUntil: string;
	repeatCount: string;
	/** A series leaves out dates in the school holidays unless this is false (the box is ticked by default). */
	skipHolidays?: boolean;
	/** The user has seen that the date is in the school holidays and schedules it all the same. */
	confirmHoliday?: boolean;
}

export interface SessionTimes {
	startsAt: Date;
	endsAt: Date;
	bookingOpensAt: Date;
	bookingClosesAt: Date;
}

export interface SessionInput {
	venue: string;
	capacity: number;
	yearGroups: YearGroup[];
	schoolCap: number | null;
	requiresApproval: boolean;
	rotationMinutes: number | null;
	/** One entry per session: a series gives several. */
	occurrences: SessionTimes[];
}

export function sessionValuesFromForm(form: FormData): SessionValues {
	return {
		date: field(form, 'date'),
		startTime: field(form, 'startTime'),
		endTime: field(form, 'endTime'),
		venue: field(form, 'venue'),
		capacity: field(form, 'capacity'),
		bookingOpens: field(form, 'bookingOpens'),
		bookingCloses: field(form, 'bookingCloses'),
		yearGroups: form.getAll('yearGroups').filter((v): v is string => typeof v === 'string'),
		schoolCap: field(form, 'schoolCap'),
		requiresApproval: form.get('requiresApproval') === 'yes',
		rotationMinutes: field(form, 'rotationMinutes'),
		repeat: field(form, 'repeat') || 'none',
		repeatUntil: field(form, 'repeatUntil'),
		repeatCount: field(form, 'repeatCount'),
		skipHolidays: form.get('skipHolidays') === 'yes',
		confirmHoliday: form.get('confirmHoliday') === 'yes'
	};
}

/**
 * The dates of a series: one date; every weekday (Monday to Friday) of the week from that date;
 * or weekly until a date or for a number of times.
 */
export function seriesDates(first: string, repeat: string, until?: string, count?: number): string[] {
	if (repeat === 'weekdays') {
		const weekday = new Date(`${first}T00:00:00Z`).getUTCDay(); // 0 Sunday .. 6 Saturday
		const monday = addDays(first, weekday === 0 ? 1 : weekday === 6 ? 2 : 1 - weekday);
		return [0, 1, 2, 3, 4].map((d) => addDays(monday, d)).filter((d) => d >= first);
	}
	if (repeat === 'weekly') {
		const dates: string[] = [];
		for (let d = first; dates.length < MAX_SERIES + 1; d = addDays(d, 7)) {
			if (until !== undefined && d > until) break;
			if (count !== undefined && dates.length >= count) break;
			dates.push(d);
		}
		return dates;
	}
	return [first];
}

/** The last day a session may be scheduled for: 31 August at the end of next academic year. */
export function lastSchedulableDay(now: Date): string {
	return `${academicYearOf(now) + 2}-08-31`;
}

const wholeNumber = (value: string) => (/^\d{1,6}$/.test(value) ? Number(value) : NaN);

/**
 * Checks a session form against its programme's year groups, and works out each session's
 * times in UK time. `now` decides what is in the past.
 */
export function validateSession(
	values: SessionValues,
	options: { programmeYearGroups: readonly YearGroup[]; carousel: boolean; now: Date; series: boolean }
): { errors: FieldErrors; input: SessionInput } {
	const errors: FieldErrors = {};
	if (!isRealDate(values.date)) errors.date = 'Enter a real date for the session';
	if (!isTime(values.startTime)) errors.startTime = 'Enter a start time, like 09:30';
	if (!isTime(values.endTime)) errors.endTime = 'Enter an end time, like 15:00';
	else if (!errors.startTime && values.endTime <= values.startTime) errors.endTime = 'The session must end after it starts';
	if (values.venue === '') errors.venue = 'Enter the venue';
	else if (values.venue.length > 200) errors.venue = 'Venue must be 200 characters or fewer';
	const capacity = wholeNumber(values.capacity);
	if (values.capacity === '') errors.capacity = 'Enter the number of places';
	else if (Number.isNaN(capacity)) errors.capacity = 'Places must be a whole number, 1 or more';
	else if (capacity < 1) errors.capacity = 'A session needs at least 1 place';
	const schoolCap = values.schoolCap === '' ? null : wholeNumber(values.schoolCap);
	if (schoolCap !== null && (Number.isNaN(schoolCap) || schoolCap < 1)) errors.schoolCap = 'The cap per school must be a whole number, 1 or more';
	else if (schoolCap !== null && !errors.capacity && schoolCap > capacity)
		errors.schoolCap = `The cap per school (${schoolCap}) cannot be more than the places at the session (${capacity})`;
	const groups = values.yearGroups.filter((g): g is YearGroup => oneOf(yearGroups, g) && options.programmeYearGroups.includes(g));
	if (groups.length === 0 || groups.length !== values.yearGroups.length) errors.yearGroups = "Select year groups from the programme's";
	let rotationMinutes: number | null = null;
	if (options.carousel && values.rotationMinutes !== '') {
		rotationMinutes = wholeNumber(values.rotationMinutes);
		if (Number.isNaN(rotationMinutes) || rotationMinutes < 5 || rotationMinutes > 240)
			errors.rotationMinutes = 'Rotation length must be between 5 and 240 minutes';
	}
	if (!isRealDate(values.bookingOpens)) errors.bookingOpens = 'Enter the date booking opens';
	if (!isRealDate(values.bookingCloses)) errors.bookingCloses = 'Enter the date booking closes';
	else if (!errors.bookingOpens && values.bookingCloses < values.bookingOpens) errors.bookingCloses = 'Booking must close on or after the day it opens';

	let dates: string[] = [];
	if (!errors.date) {
		const repeat = options.series ? values.repeat : 'none';
		if (repeat === 'weekly') {
			const count = values.repeatCount === '' ? undefined : wholeNumber(values.repeatCount);
			const until = values.repeatUntil === '' ? undefined : values.repeatUntil;
			if (count === undefined && until === undefined) errors.repeatUntil = 'Enter an end date or a number of sessions for the series';
			else if (count !== undefined && until !== undefined) errors.repeatCount = 'Enter an end date or a number of sessions, not both: clear one of them';
			else if (until !== undefined && (!isRealDate(until) || until < values.date))
				errors.repeatUntil = 'The series must end on a real date on or after the first session';
			else if (count !== undefined && (Number.isNaN(count) || count < 1 || count > MAX_SERIES))
				errors.repeatCount = `The number of sessions must be between 1 and ${MAX_SERIES}`;
			else dates = seriesDates(values.date, 'weekly', until, count);
			if (dates.length > MAX_SERIES) errors.repeatUntil = `A series can have at most ${MAX_SERIES} sessions`;
		} else if (repeat === 'weekdays' || repeat === 'none') dates = seriesDates(values.date, repeat);
		else errors.repeat = 'Select how the session repeats';
	}

	const occurrences: SessionTimes[] = [];
	if (Object.keys(errors).length === 0) {
		for (const date of dates) {
			const offset = (d: string) => Math.round((Date.parse(d) - Date.parse(values.date)) / 86_400_000);
			const shift = offset(date);
			occurrences.push({
				startsAt: fromLondon(date, values.startTime),
				endsAt: fromLondon(date, values.endTime),
				bookingOpensAt: fromLondon(addDays(values.bookingOpens, shift)),
				// Booking closes at the end of its day, or when the session starts if that is sooner.
				bookingClosesAt: new Date(Math.min(fromLondon(addDays(values.bookingCloses, shift + 1)).getTime(), fromLondon(date, values.startTime).getTime()))
			});
		}
		const first = occurrences[0];
		const last = dates[dates.length - 1];
		const latest = lastSchedulableDay(options.now);
		if (first && first.startsAt <= options.now) errors.date = 'The session must be in the future';
		else if (dates[0] && dates[0] > latest) errors.date = `Sessions can be scheduled up to the end of next academic year, ${formatDay(latest)}`;
		else if (last && last > latest)
			errors[values.repeatCount !== '' ? 'repeatCount' : 'repeatUntil'] =
				`The series would run past the end of next academic year (${formatDay(latest)}): end it sooner`;
		else if (first && first.bookingClosesAt <= first.bookingOpensAt)
			errors.bookingCloses = 'Booking must close after it opens and no later than the session starts';
	}
	return {
		errors,
		input: {
			venue: values.venue,
			capacity,
			yearGroups: groups,
			schoolCap,
			requiresApproval: values.requiresApproval,
			rotationMinutes,
			occurrences: Object.keys(errors).length === 0 ? occurrences : []
		}
	};
}

export const MAX_STATIONS = 12;

/** A carousel's minutes at each workstation until its lead sets them. */
export const DEFAULT_ROTATION_MINUTES = 20;

export interface StationRow {
	name: string;
	theme: string;
	places: string;
}

/** Reads the station rows of the form; fully blank rows are ignored. */
export function stationRowsFromForm(form: FormData): StationRow[] {
	const rows: StationRow[] = [];
	for (let i = 0; i < MAX_STATIONS; i++) {
		const get = (key: string) => String(form.get(`stations.${i}.${key}`) ?? '').trim();
		rows.push({ name: get('name'), theme: get('theme'), places: get('places') });
	}
	return rows;
}

/** The workstations form: its rows and the rotation length, as typed. */
export function stationValuesFromForm(form: FormData): { rows: StationRow[]; rotationMinutes: string } {
	return { rows: stationRowsFromForm(form), rotationMinutes: field(form, 'rotationMinutes') };
}

/** Checks the workstation rows (blank rows are skipped) and the rotation length. */
export function validateStations(
	rows: StationRow[],
	rotationMinutesText: string
): { errors: FieldErrors; stations: { name: string; theme: string; places: number }[]; rotationMinutes: number } {
	const errors: FieldErrors = {};
	const used = rows.map((row, i) => ({ ...row, i })).filter((r) => r.name || r.theme || r.places);
	if (used.length === 0) errors['stations.0.name'] = 'Enter at least one workstation';
	for (const row of used) {
		if (!row.name) errors[`stations.${row.i}.name`] = `Enter the name of workstation ${row.i + 1}`;
		if (!row.theme) errors[`stations.${row.i}.theme`] = `Enter the theme of workstation ${row.i + 1}`;
		if (!/^\d{1,4}$/.test(row.places) || Number(row.places) < 1)
			errors[`stations.${row.i}.places`] = `Places at workstation ${row.i + 1} must be a whole number, 1 or more`;
	}
	const minutes = Number(rotationMinutesText);
	if (!/^\d{1,3}$/.test(rotationMinutesText) || minutes < 5 || minutes > 240) errors.rotationMinutes = 'Rotation length must be between 5 and 240 minutes';
	return { errors, stations: used.map((r) => ({ name: r.name, theme: r.theme, places: Number(r.places) })), rotationMinutes: minutes };
}
