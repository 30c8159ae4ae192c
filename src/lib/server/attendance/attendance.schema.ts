import { defaultMarkLabels, statusOfCode } from '../../attendance';
import { attendanceStatuses, type AttendanceStatus } from '../db/schema';
import { field } from '../forms';
import type { FieldErrors } from '../result';

// The register forms. A named register sends `base`, the marks the page showed, one
// `<young person id>.<code>.<version>` each (code and version empty for no mark), in the order
// of its rows, and one field per row, `m<row>`, with the status chosen (its one-letter code,
// $lib/attendance.ts). A row whose choice is what the page showed is unchanged and not sent on:
// only changes reach the service, each with the version it was based on. A headcount has one
// field per school and year group, `count.<school id>.<year group>`, as does a workstation's
// register, with two hidden ones beside it: `was.…`, the count the page showed, and `version.…`,
// its version; only the counts that differ from what was shown reach the service, each with
// the version it was based on. Values come back as typed so a refused form shows them again.

const COUNT = 'count.';
const WAS = 'was.';
const VERSION = 'version.';

/** The form field of one school and year group's count; also the key of its error. */
export const countField = (schoolId: string, yearGroup: string) => `${COUNT}${schoolId}.${yearGroup}`;

/** Fields of the form whose names start with the prefix, trimmed, with their full names. */
function prefixed(form: FormData, prefix: string): [string, string][] {
	return [...form.entries()]
		.filter((entry): entry is [string, string] => entry[0].startsWith(prefix) && typeof entry[1] === 'string')
		.map(([name, value]) => [name, value.trim()]);
}

/** "3.5", "-1" or "ten" is no count: it reaches the service as NaN, which refuses it. */
function count(value: string): number {
	return /^\d{1,6}$/.test(value) ? Number(value) : Number.NaN;
}

function cellOf(name: string): { schoolId: string; yearGroup: string } {
	const [schoolId = '', yearGroup = ''] = name.slice(COUNT.length).split('.');
	return { schoolId, yearGroup };
}

export interface BaseMark {
	youngPersonId: string;
	/** The one-letter code shown, '' for no mark. */
	code: string;
	/** The version shown, null for no mark; NaN for one that is no version (refused by the service). */
	version: number | null;
}

export interface MarkChange {
	youngPersonId: string;
	/** The status chosen, as the service is to check it. */
	status: string;
	/** The version of the mark the change was based on; null if there was none. */
	basedOn: number | null;
}

function baseMarks(form: FormData): BaseMark[] {
	const base = form.get('base');
	if (typeof base !== 'string' || base.trim() === '') return [];
	return base
		.trim()
		.split(/\s+/)
		.map((entry) => {
			const [youngPersonId = '', code = '', version = ''] = entry.split('.');
			return { youngPersonId, code, version: version === '' ? null : /^\d{1,9}$/.test(version) ? Number(version) : Number.NaN };
		});
}

/**
 * A named register's changes: the rows whose choice differs from what the page showed, each
 * with the version it was based on. Values (every row's choice, by young person id) come back
 * to a refused form. A choice of no mark for a row that had one is not a change: a mark is
 * changed, never taken away, on the register.
 */
export function registerChangesFromForm(form: FormData) {
	const base = baseMarks(form);
	const values: Record<string, string> = {};
	const changes: MarkChange[] = [];
	base.forEach((row, i) => {
		const chosen = form.get(`m${i}`);
		const code = typeof chosen === 'string' ? chosen.trim() : row.code;
		values[row.youngPersonId] = code;
		if (code === row.code || code === '') return;
		changes.push({ youngPersonId: row.youngPersonId, status: statusOfCode[code] ?? code, basedOn: row.version });
	});
	return { base, changes, values };
}

/**
 * "Mark all unmarked as present", before saving: every row with no mark shown and none chosen
 * becomes present in the values shown back; nothing is saved, so reloading undoes it.
 */
export function unmarkedAsPresent(form: FormData) {
	const { base, values } = registerChangesFromForm(form);
	let changed = 0;
	for (const row of base) {
		if (row.code === '' && values[row.youngPersonId] === '') {
			values[row.youngPersonId] = 'p';
			changed++;
		}
	}
	return { values, changed };
}

/**
 * A headcount's or a workstation's changed counts: the boxes whose count differs from the one
 * the page showed (`was.<school id>.<year group>`), each with the version it was based on
 * (`version.…`, empty when there was no count). An empty box is no change on a headcount and
 * clears the count at a workstation (`clears`). A box sent twice is sent on as it is, for the
 * service to refuse; so is a count or version that is not a number (NaN), or a box sent without
 * what it was based on. Values (every field, by name) come back to a refused form.
 */
export function countChangesFromForm(form: FormData, clears: boolean) {
	const sent = prefixed(form, COUNT);
	const times = new Map<string, number>();
	for (const [name] of sent) times.set(name, (times.get(name) ?? 0) + 1);
	const changes: { schoolId: string; yearGroup: string; count: number | null; basedOn: number | null }[] = [];
	for (const [name, value] of sent) {
		const key = name.slice(COUNT.length);
		const was = form.get(`${WAS}${key}`);
		const version = form.get(`${VERSION}${key}`);
		const shown = typeof was === 'string' && was.trim() !== '' ? count(was.trim()) : null;
		const typed = value === '' ? (clears ? null : shown) : count(value);
		if (typed === shown && times.get(name) === 1) continue;
		const basedOn = typeof version !== 'string' ? Number.NaN : version.trim() === '' ? null : /^\d{1,9}$/.test(version.trim()) ? Number(version) : Number.NaN;
		changes.push({ ...cellOf(name), count: typed, basedOn: typeof was === 'string' ? basedOn : Number.NaN });
	}
	return {
		changes,
		values: Object.fromEntries([...sent, ...prefixed(form, WAS), ...prefixed(form, VERSION)]) as Record<string, string>
	};
}

export type MarkLabelValues = Record<AttendanceStatus, string>;

/** The form field of a status's name. */
export const labelField = (status: AttendanceStatus) => `label_${status}`;

export function markLabelValuesFromForm(form: FormData): MarkLabelValues {
	return Object.fromEntries(attendanceStatuses.map((status) => [status, field(form, labelField(status))])) as MarkLabelValues;
}

/** What the programme calls each status, tidied; a name for every status, 50 characters at most, no two the same. */
export function validateMarkLabels(values: MarkLabelValues): { errors: FieldErrors; input: MarkLabelValues } {
	const errors: FieldErrors = {};
	const input = {} as MarkLabelValues;
	const seen = new Map<string, AttendanceStatus>();
	for (const status of attendanceStatuses) {
		const label = (values[status] ?? '').trim().replace(/\s+/g, ' ');
		const name = defaultMarkLabels[status];
		if (label === '') errors[labelField(status)] = `Enter a name for ‘${name}’`;
		else if (label.length > 50) errors[labelField(status)] = `The name for ‘${name}’ must be 50 characters or fewer`;
		else if (seen.has(label.toLowerCase())) errors[labelField(status)] = `‘${label}’ is already the name of another status: give each a different name`;
		seen.set(label.toLowerCase(), status);
		input[status] = label;
	}
	return { errors, input };
}
