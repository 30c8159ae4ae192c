import { getDb } from '$lib/server/db';
import { createSchool, openNewSchool } from '$lib/server/schools/schools.service';
import { schoolValuesFromForm } from '$lib/server/schools/schools.schema';
import type { Actions, PageServerLoad } from './$types';
import { failed, signedIn } from '$lib/server/web/respond';
import { redirectWithNotice } from '$lib/server/web/notice';

export const load: PageServerLoad = async ({ locals }) => {
	await openNewSchool(getDb(), signedIn(locals));
};

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const values = schoolValuesFromForm(await request.formData());
		const result = await createSchool(getDb(), signedIn(locals), values);
		if (!result.ok) return failed(result, values);
		redirectWithNotice(`/schools/${result.id}`, 'added');
	}
};
