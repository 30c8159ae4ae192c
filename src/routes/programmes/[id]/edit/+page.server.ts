import { getDb } from '$lib/server/db';
import {
	getProgrammeForEditing,
	getProgrammeLeads,
	listLeadCandidates,
	programmeFormVersion,
	updateProgramme
} from '$lib/server/programmes/programmes.service';
import { programmeValuesFromForm } from '$lib/server/programmes/programmes.schema';
import { basedOnFromForm } from '$lib/server/edit-versions';
import { idParam } from '$lib/server/web/route-params';
import type { Actions, PageServerLoad } from './$types';
import { failed, signedIn } from '$lib/server/web/respond';
import { redirectWithNotice } from '$lib/server/web/notice';

export const load: PageServerLoad = async ({ locals, params }) => {
	const id = idParam(params.id);
	const programme = await getProgrammeForEditing(getDb(), signedIn(locals), id);
	return {
		programme,
		basedOn: await programmeFormVersion(getDb(), programme),
		leadIds: await getProgrammeLeads(getDb(), signedIn(locals), id),
		leads: await listLeadCandidates(getDb(), signedIn(locals))
	};
};

export const actions: Actions = {
	default: async ({ request, locals, params }) => {
		const form = await request.formData();
		const values = programmeValuesFromForm(form);
		const basedOn = basedOnFromForm(form);
		const result = await updateProgramme(getDb(), signedIn(locals), idParam(params.id), values, basedOn);
		if (!result.ok) return failed(result, { ...values, basedOn });
		redirectWithNotice(`/programmes/${params.id}`, 'saved');
	}
};
