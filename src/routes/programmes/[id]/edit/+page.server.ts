import { fail, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requireRole } from '$lib/server/auth/access';
import { getManagedProgramme, getProgrammeLeads, listLeadCandidates, updateProgramme } from '$lib/server/programmes/programmes.service';
import { programmeValuesFromForm } from '$lib/server/programmes/programmes.schema';
import { idParam } from '$lib/server/route-params';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const id = idParam(params.id);
	await requireRole(getDb(), locals.user!, ['admin'], { entityType: 'programme', entityId: id });
	return {
		programme: await getManagedProgramme(getDb(), locals.user!, id),
		leadIds: await getProgrammeLeads(getDb(), locals.user!, id),
		leads: await listLeadCandidates(getDb(), locals.user!)
	};
};

export const actions: Actions = {
	default: async ({ request, locals, params }) => {
		const values = programmeValuesFromForm(await request.formData());
		const result = await updateProgramme(getDb(), locals.user!, idParam(params.id), values);
		if (!result.ok) return fail(400, { values, errors: result.errors });
		redirect(303, `/programmes/${params.id}?notice=saved`);
	}
};
