import { getDb } from '$lib/server/db';
import { createAwardGroup, getAwardLabels, listAwardGroups, saveAwardLabels } from '$lib/server/awards/awards.service';
import { awardGroupValuesFromForm, awardLabelValuesFromForm } from '$lib/server/awards/awards.schema';
import { getManagedProgramme } from '$lib/server/programmes/programmes.service';
import { idParam } from '$lib/server/web/route-params';
import type { Actions, PageServerLoad } from './$types';
import { failed, signedIn } from '$lib/server/web/respond';
import { redirectWithNotice } from '$lib/server/web/notice';

export const load: PageServerLoad = async ({ locals, params }) => {
	const programmeId = idParam(params.id);
	const programme = await getManagedProgramme(getDb(), signedIn(locals), programmeId);
	return {
		programme: { id: programme.id, name: programme.name },
		groups: await listAwardGroups(getDb(), signedIn(locals), programmeId),
		labels: await getAwardLabels(getDb(), signedIn(locals), programmeId)
	};
};

// Two forms on one page: each one's values say which it was (`action`), so only its fields show the errors.
export const actions: Actions = {
	createGroup: async ({ request, locals, params }) => {
		const values = awardGroupValuesFromForm(await request.formData());
		const result = await createAwardGroup(getDb(), signedIn(locals), idParam(params.id), values);
		if (!result.ok) return failed(result, { action: 'createGroup' as const, ...values });
		redirectWithNotice(`/programmes/${params.id}/awards/${result.id}`, 'created');
	},
	labels: async ({ request, locals, params }) => {
		const values = awardLabelValuesFromForm(await request.formData());
		const result = await saveAwardLabels(getDb(), signedIn(locals), idParam(params.id), values);
		if (!result.ok) return failed(result, { action: 'labels' as const, ...values });
		redirectWithNotice(`/programmes/${params.id}/awards`, 'labels');
	}
};
