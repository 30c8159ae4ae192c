import { fail, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { field } from '$lib/server/forms';
import { answerPublicForm, openPublicForm } from '$lib/server/outcomes/outcomes.public';
import { emptyQuestionnaire, normaliseSessionCode, questionnaireValuesFromForm } from '$lib/server/outcomes/outcomes.schema';
import type { Actions, PageServerLoad } from './$types';

// The public form: a session code, then the questions. Its state lives in the form itself
// (the code travels in a hidden field), so it works without JavaScript and without a cookie.

export const load: PageServerLoad = ({ url }) => ({
	code: normaliseSessionCode(url.searchParams.get('code') ?? '').slice(0, 12),
	done: url.searchParams.has('done')
});

export const actions: Actions = {
	code: async ({ request, getClientAddress }) => {
		const typed = field(await request.formData(), 'code');
		const result = await openPublicForm(getDb(), typed, getClientAddress());
		if (!result.ok) return fail(result.reason === 'throttled' ? 429 : 400, { step: 'code' as const, code: typed, errors: { code: result.message } });
		return { step: 'answer' as const, code: result.code, form: result.form, values: emptyQuestionnaire(result.form.questions.map((q) => q.id)), errors: undefined };
	},
	answer: async ({ request, getClientAddress }) => {
		const data = await request.formData();
		const typed = field(data, 'code');
		const values = questionnaireValuesFromForm(data);
		const result = await answerPublicForm(getDb(), typed, values, getClientAddress());
		if (result.ok) redirect(303, `/q?done=1&code=${encodeURIComponent(normaliseSessionCode(typed))}`);
		if (result.reason === 'invalid') return fail(400, { step: 'answer' as const, code: result.code, form: result.form, values, errors: result.errors });
		return fail(result.reason === 'throttled' ? 429 : 400, { step: 'code' as const, code: typed, errors: { code: result.message } });
	}
};
