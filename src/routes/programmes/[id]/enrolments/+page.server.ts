import { getDb } from '$lib/server/db';
import { enrolYoungPerson, getEnrolChoices, getEnrolments } from '$lib/server/enrolments/enrolments.service';
import { enrolValuesFromForm } from '$lib/server/enrolments/enrolments.schema';
import { idParam } from '$lib/server/web/route-params';
import { londonParts } from '$lib/server/time';
import type { Actions, PageServerLoad } from './$types';
import { failed, signedIn } from '$lib/server/web/respond';
import { redirectWithNotice } from '$lib/server/web/notice';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const actor = signedIn(locals);
	const now = new Date();
	const overview = await getEnrolments(getDb(), actor, idParam(params.id), { stage: url.searchParams.get('stage') ?? undefined }, now);
	const choices = await getEnrolChoices(getDb(), actor, overview.programme.id, url.searchParams.get('school') || undefined, now);
	return {
		programme: { id: overview.programme.id, name: overview.programme.name },
		stage: overview.stage,
		counts: overview.counts,
		total: overview.total,
		schools: overview.schools,
		choices,
		today: londonParts(now).date
	};
};

export const actions: Actions = {
	enrol: async ({ request, locals, params }) => {
		const values = enrolValuesFromForm(await request.formData());
		const result = await enrolYoungPerson(getDb(), signedIn(locals), idParam(params.id), values, new Date());
		if (!result.ok) return failed(result, values);
		redirectWithNotice(`/programmes/${params.id}/enrolments?school=${encodeURIComponent(values.schoolId)}`, 'enrolled');
	}
};
