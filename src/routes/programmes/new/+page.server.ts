import { fail, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { createProgramme, listLeadCandidates } from '$lib/server/programmes/programmes.service';
import { programmeValuesFromForm } from '$lib/server/programmes/programmes.schema';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => ({ leads: await listLeadCandidates(getDb(), locals.user!) });

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const values = programmeValuesFromForm(await request.formData());
		const result = await createProgramme(getDb(), locals.user!, values);
		if (!result.ok) return fail(400, { values, errors: result.errors });
		redirect(303, `/programmes/${result.id}?notice=added`);
	}
};
