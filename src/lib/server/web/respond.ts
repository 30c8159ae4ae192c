import { error, fail, redirect } from '@sveltejs/kit';
import type { Actor } from '../auth/session';
import { answerNotFoundWith, failureErrors, type Failure } from '../result';

// The one place a service's answer becomes SvelteKit's: loaded by hooks.server.ts, so a
// refusal thrown anywhere in a request renders the 404 page.
answerNotFoundWith(() => error(404, 'Page not found'));

/**
 * The signed-in user a route acts for. hooks.server.ts sends anonymous requests for
 * signed-in pages to the sign-in page before any load runs; this is the same answer for a
 * route that is reached without one all the same.
 */
export function signedIn(locals: App.Locals): Actor {
	if (!locals.user) redirect(303, '/sign-in');
	return locals.user;
}

/**
 * A failed result as a form action's answer: the user's values back with a message per
 * field (`field` names where a message that belongs to no field is shown), a 409 for a
 * conflict, and the 404 page for a record that is not there. An edit form saved over a version
 * it was not opened on comes back with the version now saved (`basedOn`, see edit-versions.ts),
 * so that saving it again replaces that version knowingly.
 */
export function failed<V>(result: Failure, values?: V, field = 'form') {
	if (result.code === 'not_found') error(404, 'Page not found');
	const status = result.code === 'conflict' ? 409 : 400;
	const problems = result.code === 'invalid' ? result.problems : undefined;
	const basedOn = result.code === 'conflict' ? result.basedOn : undefined;
	const kept = basedOn === undefined ? (values ?? ({} as V)) : { ...values!, basedOn };
	return fail(status, { values: kept, errors: failureErrors(result, field), ...(problems ? { problems } : {}) });
}

/** A record or the 404 page. */
export function found<T>(value: T | undefined | null): T {
	if (value === undefined || value === null) error(404, 'Page not found');
	return value;
}

/**
 * A failed result as a form action's answer, where one refusal (`reason`) is a warning the user
 * may confirm past rather than an error: the form comes back with their values and the warning.
 */
export function failedOrWarned<V>(result: Failure, values: V, reason: string) {
	if (result.code === 'refused' && result.reason === reason) return fail(400, { values, errors: {} as Record<string, string>, warning: result.message });
	return failed(result, values);
}
