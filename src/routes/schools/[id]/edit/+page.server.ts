import { getDb } from '$lib/server/db';
import { getSchoolForEditing, updateSchool } from '$lib/server/schools/schools.service';
import { schoolValuesFromForm } from '$lib/server/schools/schools.schema';
import { idParam } from '$lib/server/web/route-params';
import type { Actions, PageServerLoad } from './$types';
import { failed, signedIn } from '$lib/server/web/respond';
import { redirectWithNotice } from '$lib/server/web/notice';

export const load: PageServerLoad = async ({ locals, params }) => {
	const id = idParam(params.id);
	return { school: await getSchoolForEditing(getDb(), signedIn(locals), id) };
};

export const actions: Actions = {
	default: async ({ request, locals, params }) => {
		const id = idParam(params.id);
		const values = schoolValuesFromForm(await request.formData());
		const result = await updateSchool(getDb(), signedIn(locals), id, values);
		if (!result.ok) return failed(result, values);
		redirectWithNotice(`/schools/${id}`, 'saved');
	}
};
