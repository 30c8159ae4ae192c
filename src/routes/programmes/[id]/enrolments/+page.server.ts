import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { enrolYoungPerson, getEnrolChoices, getEnrolments } from '$lib/server/enrolments/enrolments.service';
import { enrolValuesFromForm } from '$lib/server/enrolments/enrolments.schema';
import { idParam } from '$lib/server/web/route-params';
import { londonParts } from '$lib/server/time';
import type { Actions, PageServerLoad } from './$types';
import { failed, signedIn } from '$lib/server/web/respond';

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
		today: londonParts(now).date,
		notice: url.searchParams.get('notice')
	};
};

export const actions: Actions = {
	enrol: async ({ request, locals, params }) => {
		const values = enrolValuesFromForm(await request.formData());
		const result = await enrolYoungPerson(getDb(), signedIn(locals), idParam(params.id), values, new Date());
		if (!result.ok) return failed(result, values);
		redirect(303, `/programmes/${params.id}/enrolments?notice=enrolled&school=${encodeURIComponent(values.schoolId)}`);
	}
};
