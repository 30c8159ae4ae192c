import { formatDateTime, formatTime } from '../format';
import { field } from './forms';
import type { Failure, FieldErrors } from './result';
import { londonParts } from './time';

// Two people on one edit form. Each edit form (a school, a programme, a session, a young person)
// carries the version of the record it was opened on, `basedOn`: the record's updated_at to the
// millisecond. Its save goes through only while the record is still at that version, checked
// under the record's row lock, so of two saves from forms opened on one version the second is
// refused, not written over the first (unless it saves exactly what is saved now, which
// overwrites nothing). Nothing of it is saved: the form comes back with the
// user's values, a message beside each field where what is saved now differs from them, and
// the version now saved, so that saving again replaces that version knowingly.
//
// A form sent without a version (a page opened before the check was there) is not checked.
// One with a version that is not the record's, including one that is no version at all, is.

/** A record's version as its edit form carries it. */
export const versionOf = (updatedAt: Date): string => updatedAt.toISOString();

/** Whether the record was saved since the form's version was read. */
export function changedSince(updatedAt: Date, basedOn: string | undefined): boolean {
	return basedOn !== undefined && basedOn !== '' && basedOn !== versionOf(updatedAt);
}

/** The version an edit form was sent with ('' for none). */
export const basedOnFromForm = (form: FormData): string => field(form, 'basedOn');

/** A form's values and the record's as saved now, each field's value as the form shows it. */
export type ShownValues = Record<string, string>;

/**
 * The answer to a save from a form opened on an earlier version: nothing saved, and beside each
 * field whose saved value differs from the user's, what is saved now. Undefined when no field
 * differs: the save would write what is saved already, so it overwrites nothing. `noun` names
 * the record as a sentence begins ("This school").
 */
export function changedElsewhere(noun: string, updatedAt: Date, mine: ShownValues, saved: ShownValues, now = new Date()): Failure | undefined {
	const errors: FieldErrors = {};
	for (const [key, value] of Object.entries(saved)) {
		if (mine[key] !== value) errors[key] = value === '' ? 'Saved now with nothing here' : `Saved now as: ${value}`;
	}
	if (Object.keys(errors).length === 0) return undefined;
	const when = londonParts(updatedAt).date === londonParts(now).date ? `at ${formatTime(updatedAt)}` : `on ${formatDateTime(updatedAt)}`;
	const message = `${noun} was changed by someone else ${when}, after you opened this page: your changes have not been saved. What is saved now is shown beside each field where it differs from yours. Save again to replace it with yours.`;
	return { ok: false, code: 'conflict', reason: 'changed_since', message, field: 'basedOn', errors, basedOn: versionOf(updatedAt) };
}
