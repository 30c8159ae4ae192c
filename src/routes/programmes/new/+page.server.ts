import { getDb } from '$lib/server/db';
import { createProgramme, listLeadCandidates } from '$lib/server/programmes/programmes.service';
import { programmeValuesFromForm } from '$lib/server/programmes/programmes.schema';
import type { Actions, PageServerLoad } from './$types';
import { failed, signedIn } from '$lib/server/web/respond';
import { redirectWithNotice } from '$lib/server/web/notice';

export const load: PageServerLoad = async ({ locals }) => ({ leads: await listLeadCandidates(getDb(), signedIn(locals)) });

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const values = programmeValuesFromForm(await request.formData());
		const result = await createProgramme(getDb(), signedIn(locals), values);
		if (!result.ok) return failed(result, values);
		redirectWithNotice(`/programmes/${result.id}`, 'added');
	}
};
