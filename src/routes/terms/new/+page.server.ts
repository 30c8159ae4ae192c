import { getDb } from '$lib/server/db';
import { addTerm, openNewTerm } from '$lib/server/terms/terms.service';
import { termValuesFromForm } from '$lib/server/terms/terms.schema';
import { failed, signedIn } from '$lib/server/web/respond';
import { redirectWithNotice } from '$lib/server/web/notice';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	await openNewTerm(getDb(), signedIn(locals));
};

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const values = termValuesFromForm(await request.formData());
		const result = await addTerm(getDb(), signedIn(locals), values);
		if (!result.ok) return failed(result, values);
		redirectWithNotice('/terms', 'added');
	}
};
