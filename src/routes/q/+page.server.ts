import { fail, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { answerPublicForm, openPublicForm } from '$lib/server/outcomes/outcomes.public';
import { emptyQuestionnaire, normaliseSessionCode, questionnaireValuesFromForm, sessionCodeFromForm } from '$lib/server/outcomes/outcomes.schema';
import { failureErrors, type Failure } from '$lib/server/result';
import type { Actions, PageServerLoad } from './$types';

// The public form: a session code, then the questions. Its state lives in the form itself
// (the code travels in a hidden field), so it works without JavaScript and without a cookie.

export const load: PageServerLoad = ({ url }) => ({
	code: normaliseSessionCode(url.searchParams.get('code') ?? '').slice(0, 12),
	done: url.searchParams.has('done')
});

/**
 * Back to the first step, with the code as typed and why it opens nothing. Not `failed()`:
 * an address stopped for too many wrong codes is answered 429, as sign-in's throttle is.
 */
function codeRefused(failure: Failure, typed: string) {
	const throttled = failure.code === 'refused' && failure.reason === 'throttled';
	return fail(throttled ? 429 : 400, { step: 'code' as const, code: typed, errors: failureErrors(failure, 'code') });
}

export const actions: Actions = {
	code: async ({ request, getClientAddress }) => {
		const typed = sessionCodeFromForm(await request.formData());
		const result = await openPublicForm(getDb(), typed, getClientAddress());
		if (!result.ok) return codeRefused(result, typed);
		return {
			step: 'answer' as const,
			code: result.code,
			form: result.form,
			values: emptyQuestionnaire(result.form.questions.map((q) => q.id)),
			errors: undefined
		};
	},
	answer: async ({ request, getClientAddress }) => {
		const data = await request.formData();
		const typed = sessionCodeFromForm(data);
		const values = questionnaireValuesFromForm(data);
		const result = await answerPublicForm(getDb(), typed, values, getClientAddress());
		if (result.ok) redirect(303, `/q?done=1&code=${encodeURIComponent(normaliseSessionCode(typed))}`);
		if (result.code !== 'invalid') return codeRefused(result, typed);
		// Wrong answers: the same questions again, with the answers as given and a message beside each.
		const opened = await openPublicForm(getDb(), typed, getClientAddress());
		if (!opened.ok) return codeRefused(opened, typed);
		return fail(400, { step: 'answer' as const, code: opened.code, form: opened.form, values, errors: result.errors });
	}
};
