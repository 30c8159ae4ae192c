import { getDb } from '$lib/server/db';
import { requireRole } from '$lib/server/auth/access';
import { createSchool } from '$lib/server/schools/schools.service';
import { schoolValuesFromForm } from '$lib/server/schools/schools.schema';
import type { Actions, PageServerLoad } from './$types';
import { failed, signedIn } from '$lib/server/web/respond';
import { redirectWithNotice } from '$lib/server/web/notice';

export const load: PageServerLoad = async ({ locals }) => {
	await requireRole(getDb(), signedIn(locals), ['admin'], { entityType: 'school' });
};

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const values = schoolValuesFromForm(await request.formData());
		const result = await createSchool(getDb(), signedIn(locals), values);
		if (!result.ok) return failed(result, values);
		redirectWithNotice(`/schools/${result.id}`, 'added');
	}
};
