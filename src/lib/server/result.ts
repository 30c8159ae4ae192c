/**
 * How every service answers. A command returns a `Result`: `{ ok: true, ...what it made }` or
 * one of four coded failures, which the route layer (`web/respond.ts`) turns into SvelteKit's
 * answers in one place. Services never import `@sveltejs/kit`.
 *
 * - `invalid`: the input was wrong; a message per form field, shown beside each field, and
 *   for an imported file, its `problems` by row and column (nothing is imported).
 * - `not_found`: the record does not exist, or the actor may not see it (the same answer).
 * - `refused`: the input was well formed but a rule says no now (the session has not started,
 *   the cohort has finished). `reason` is a stable code for tests and callers; `message` is
 *   for the user, beside `field` when it belongs to one.
 * - `conflict`: someone else's change got there first (a restore whose name is now taken, an
 *   edit form saved over a version it was not opened on: see `edit-versions.ts`). It may carry
 *   messages beside fields (`errors`) and the version now saved (`basedOn`), for the form to
 *   come back with.
 *
 * A refusal by an access check is thrown instead (`notFound()`): it is raised on the first line
 * of a service function, often several calls deep, and must end the request wherever it is.
 */

/** Field errors keyed by the form field's name, in the order the fields appear. */
export type FieldErrors = Record<string, string>;

/** A problem in an imported file: the row as a spreadsheet numbers it (header = 1), and the column. */
export interface RowProblem {
	row?: number;
	column?: string;
	message: string;
}

export type Failure =
	| { ok: false; code: 'invalid'; errors: FieldErrors; problems?: RowProblem[] }
	| { ok: false; code: 'not_found' }
	| { ok: false; code: 'refused'; reason: string; message: string; field?: string }
	| { ok: false; code: 'conflict'; reason: string; message: string; field?: string; errors?: FieldErrors; basedOn?: string };

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a success that carries nothing
export type Result<T extends object = {}> = ({ ok: true } & T) | Failure;

export function ok(): { ok: true };
export function ok<T extends object>(value: T): { ok: true } & T;
export function ok(value: object = {}) {
	return { ok: true as const, ...value };
}

export function invalid(errors: FieldErrors): Failure {
	return { ok: false, code: 'invalid', errors };
}

/** An imported file with problems: listed by row and column, summed up on the file field. */
export function invalidRows(problems: RowProblem[], summary?: string): Failure {
	const count = problems.length;
	const message = summary ?? `The file has ${count} problem${count === 1 ? '' : 's'}: nothing has been imported`;
	return { ok: false, code: 'invalid', errors: { file: message }, problems };
}

/** One field's message as an `invalid` failure. */
export function invalidField(field: string, message: string): Failure {
	return invalid({ [field]: message });
}

export function refused(reason: string, message: string, field?: string): Failure {
	return { ok: false, code: 'refused', reason, message, ...(field ? { field } : {}) };
}

export function conflict(reason: string, message: string, field?: string): Failure {
	return { ok: false, code: 'conflict', reason, message, ...(field ? { field } : {}) };
}

export function hasErrors(errors: FieldErrors): boolean {
	return Object.keys(errors).length > 0;
}

/** A failure's messages by field, for a form that shows them beside its fields. */
export function failureErrors(failure: Failure, field = 'form'): FieldErrors {
	switch (failure.code) {
		case 'invalid':
			return failure.errors;
		case 'not_found':
			return { [field]: 'This record no longer exists' };
		case 'conflict':
			return { [failure.field ?? field]: failure.message, ...failure.errors };
		default:
			return { [failure.field ?? field]: failure.message };
	}
}

/**
 * What services throw for a record the actor may not see or that does not exist. It carries
 * `status: 404` so a test can expect it like any 404; the route layer answers it with the
 * 404 page (see `answerNotFoundWith`).
 */
export class NotFound extends Error {
	readonly status = 404;
	readonly code = 'not_found';
	constructor() {
		super('Page not found');
		this.name = 'NotFound';
	}
}

let raiseNotFound: () => never = () => {
	throw new NotFound();
};

/** Ends the request as "not found". Call it after auditing a refusal (see `auth/access.ts`). */
export function notFound(): never {
	raiseNotFound();
}

/**
 * How a thrown not-found reaches the user. SvelteKit renders a 404 only for its own error
 * type, so the route layer installs its answer once at start-up (`web/respond.ts`); without
 * it (tests, command-line tools) services throw `NotFound`.
 */
export function answerNotFoundWith(answer: () => never): void {
	raiseNotFound = answer;
}
