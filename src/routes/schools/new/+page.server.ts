import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { createSchool, openNewSchool } from '$lib/server/schools/schools.service';
import { schoolValuesFromForm } from '$lib/server/schools/schools.schema';
import type { Actions, PageServerLoad } from './$types';
import { failed, signedIn } from '$lib/server/web/respond';

export const load: PageServerLoad = async ({ locals }) => {
	await openNewSchool(getDb(), signedIn(locals));
};

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const values = schoolValuesFromForm(await request.formData());
		const result = await createSchool(getDb(), signedIn(locals), values);
		if (!result.ok) return failed(result, values);
		redirect(303, `/schools/${result.id}?notice=added`);
	}
};
