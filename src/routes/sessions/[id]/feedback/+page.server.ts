import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { getWorkshopFeedback, saveWorkshopFeedback } from '$lib/server/workshops/workshop-feedback.service';
import { feedbackValuesFromForm } from '$lib/server/workshops/workshop-feedback.schema';
import { FEEDBACK_QUESTION, scoreLabels } from '$lib/server/workshops/workshop-feedback.rules';
import { idParam } from '$lib/server/web/route-params';
import type { Actions, PageServerLoad } from './$types';
import { failed, signedIn } from '$lib/server/web/respond';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const feedback = await getWorkshopFeedback(getDb(), signedIn(locals), idParam(params.id));
	return {
		...feedback,
		question: FEEDBACK_QUESTION,
		scoreLabels,
		started: new Date() >= feedback.session.starts_at,
		changed: url.searchParams.get('changed')
	};
};

export const actions: Actions = {
	default: async ({ request, locals, params }) => {
		const id = idParam(params.id);
		const values = feedbackValuesFromForm(await request.formData());
		const result = await saveWorkshopFeedback(getDb(), signedIn(locals), id, values);
		if (!result.ok) {
			// Refused as changed by someone else (or sent from a page without what it showed): the form
			// comes back on what is saved now, so saving again replaces it knowingly. Refused for bad
			// input: still on what the page showed.
			const was = result.code === 'conflict' || !values.was ? (await getWorkshopFeedback(getDb(), signedIn(locals), id)).values.was : values.was;
			return failed(result, { ...values, was }, 'feedback');
		}
		redirect(303, `/sessions/${id}/feedback?changed=${result.changed}`);
	}
};
