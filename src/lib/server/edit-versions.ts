import { createHash } from 'node:crypto';
import { formatDateTime, formatTime } from '../format';
import { field } from './forms';
import type { Failure, FieldErrors } from './result';
import { londonParts } from './time';

// Two people on one edit form. Each edit form (a school, a programme, a session, a young
// person, a user's details, a mentoring meeting, a booking's places, a school term, a
// carousel's workstations, a programme's attendance names, an enrolment's stage, a
// before-and-after statement's wording) carries the version of the record it was opened on,
// `basedOn`: a digest of the record's values as the form shows them. A save goes through only
// while the record still has that version, checked under the record's row lock, so of two saves
// from forms opened on one version the second is refused, not written over the first (unless it
// writes exactly what is saved now, which overwrites nothing). Nothing of it is saved: the form
// comes back with the user's values, a message beside each field where what is saved now
// differs from them, and the version now saved, so that saving again replaces that version
// knowingly.
//
// The version is of what the form shows, not the row's updated_at: a school deactivated, a young
// person's record imported again unchanged or a user's password reset touch the row but not the
// form, and are no reason to refuse it.
//
// A form sent without a version (a page opened before the check was there) is not checked. One
// with a version that is not the record's, including one that is no version at all, is.

/** A record's values as its edit form shows them, field by field: choices by their labels. */
export type ShownValues = Record<string, string>;

/** The version of a record an edit form carries: a digest of its values as the form shows them. */
export function versionOf(shown: ShownValues): string {
	return createHash('sha256')
		.update(JSON.stringify(Object.entries(shown)))
		.digest('base64url')
		.slice(0, 22);
}

/** The version an edit form was sent with ('' for none). */
export const basedOnFromForm = (form: FormData): string => field(form, 'basedOn');

export interface EditCheck {
	/** The record as a sentence begins: "This school". */
	noun: string;
	/** The version the form was opened on ('' for none). */
	basedOn: string;
	/** The user's values, as the form would show them once saved. */
	mine: ShownValues;
	/** The record as saved now, read under its row lock. */
	saved: ShownValues;
	/** Each field's label as the form gives it, for its message: "Venue". */
	labels: Record<string, string>;
	/** When the record was last saved, for the message, if it keeps that. */
	savedAt?: Date;
	now?: Date;
}

/**
 * Undefined when the save may go through: no version sent, the version of what is saved now, or
 * values that are what is saved now. Otherwise the answer: nothing saved, and beside each field
 * whose saved value differs from the user's, what is saved now.
 */
export function staleEdit({ noun, basedOn, mine, saved, labels, savedAt, now = new Date() }: EditCheck): Failure | undefined {
	if (basedOn === '' || basedOn === versionOf(saved)) return undefined;
	const errors: FieldErrors = {};
	for (const [key, value] of Object.entries(saved)) {
		if (mine[key] !== value) errors[key] = `${labels[key] ?? key}: ${value === '' ? 'saved now empty' : `saved now as ‘${value}’`}`;
	}
	if (Object.keys(errors).length === 0) return undefined;
	const when = !savedAt ? '' : londonParts(savedAt).date === londonParts(now).date ? ` at ${formatTime(savedAt)}` : ` on ${formatDateTime(savedAt)}`;
	const message = `${noun} was changed by someone else${when}, after you opened this page: your changes have not been saved. What is saved now is shown beside each field where it differs from yours. Save again to replace it with yours.`;
	return { ok: false, code: 'conflict', reason: 'changed_since', message, field: 'basedOn', errors, basedOn: versionOf(saved) };
}
