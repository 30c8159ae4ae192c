import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requireRole } from '$lib/server/auth/access';
import { notFound } from '$lib/server/result';
import { UUID } from '$lib/server/forms';
import { getSchool, updateSchool } from '$lib/server/schools/schools.service';
import { schoolValuesFromForm } from '$lib/server/schools/schools.schema';
import type { Actions, PageServerLoad } from './$types';
import { failed, signedIn } from '$lib/server/web/respond';

export const load: PageServerLoad = async ({ locals, params }) => {
	if (!UUID.test(params.id)) notFound();
	await requireRole(getDb(), signedIn(locals), ['admin'], { entityType: 'school', entityId: params.id });
	return { school: await getSchool(getDb(), signedIn(locals), params.id) };
};

export const actions: Actions = {
	default: async ({ request, locals, params }) => {
		if (!UUID.test(params.id)) notFound();
		const values = schoolValuesFromForm(await request.formData());
		const result = await updateSchool(getDb(), signedIn(locals), params.id, values);
		if (!result.ok) return failed(result, values);
		redirect(303, `/schools/${params.id}?notice=saved`);
	}
};
