import { fail, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { createAwardGroup, getAwardLabels, listAwardGroups, saveAwardLabels } from '$lib/server/awards/awards.service';
import { getManagedProgramme } from '$lib/server/programmes/programmes.service';
import { field } from '$lib/server/forms';
import { idParam } from '$lib/server/web/route-params';
import type { Actions, PageServerLoad } from './$types';
import { signedIn } from '$lib/server/web/respond';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const programmeId = idParam(params.id);
	const programme = await getManagedProgramme(getDb(), signedIn(locals), programmeId);
	return {
		programme: { id: programme.id, name: programme.name },
		groups: await listAwardGroups(getDb(), signedIn(locals), programmeId),
		labels: await getAwardLabels(getDb(), signedIn(locals), programmeId),
		notice: url.searchParams.get('notice')
	};
};

export const actions: Actions = {
	createGroup: async ({ request, locals, params }) => {
		const form = await request.formData();
		const values = { name: field(form, 'name'), leaderName: field(form, 'leaderName'), trustReference: field(form, 'trustReference') };
		const result = await createAwardGroup(getDb(), signedIn(locals), idParam(params.id), values);
		if (!result.ok) return fail(400, { action: 'createGroup' as const, values, errors: result.errors });
		redirect(303, `/programmes/${params.id}/awards/${result.id}?notice=created`);
	},
	labels: async ({ request, locals, params }) => {
		const form = await request.formData();
		const values = { discovery: field(form, 'label_discovery'), explorer: field(form, 'label_explorer'), conserver: field(form, 'label_conserver') };
		const result = await saveAwardLabels(getDb(), signedIn(locals), idParam(params.id), values);
		if (!result.ok) return fail(400, { action: 'labels' as const, labelValues: values, errors: result.errors });
		redirect(303, `/programmes/${params.id}/awards?notice=labels`);
	}
};
