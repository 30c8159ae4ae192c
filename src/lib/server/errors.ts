import { error } from '@sveltejs/kit';

/** What a user gets for a record they may not see, or that does not exist: the same 404. */
export function notFound(): never {
	error(404, 'Page not found');
}

/** Field errors keyed by the form field's name, in the order the fields appear. */
export type FieldErrors = Record<string, string>;
