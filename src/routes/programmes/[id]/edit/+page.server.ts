import { getDb } from '$lib/server/db';
import { getProgrammeForEditing, getProgrammeLeads, listLeadCandidates, updateProgramme } from '$lib/server/programmes/programmes.service';
import { programmeValuesFromForm } from '$lib/server/programmes/programmes.schema';
import { idParam } from '$lib/server/web/route-params';
import type { Actions, PageServerLoad } from './$types';
import { failed, signedIn } from '$lib/server/web/respond';
import { redirectWithNotice } from '$lib/server/web/notice';

export const load: PageServerLoad = async ({ locals, params }) => {
	const id = idParam(params.id);
	return {
		programme: await getProgrammeForEditing(getDb(), signedIn(locals), id),
		leadIds: await getProgrammeLeads(getDb(), signedIn(locals), id),
		leads: await listLeadCandidates(getDb(), signedIn(locals))
	};
};

export const actions: Actions = {
	default: async ({ request, locals, params }) => {
		const values = programmeValuesFromForm(await request.formData());
		const result = await updateProgramme(getDb(), signedIn(locals), idParam(params.id), values);
		if (!result.ok) return failed(result, values);
		redirectWithNotice(`/programmes/${params.id}`, 'saved');
	}
};
