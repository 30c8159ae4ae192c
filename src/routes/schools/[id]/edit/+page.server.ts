import { getDb } from '$lib/server/db';
import { getSchoolForEditing, schoolFormVersion, updateSchool } from '$lib/server/schools/schools.service';
import { schoolValuesFromForm } from '$lib/server/schools/schools.schema';
import { basedOnFromForm } from '$lib/server/edit-versions';
import { idParam } from '$lib/server/web/route-params';
import type { Actions, PageServerLoad } from './$types';
import { failed, signedIn } from '$lib/server/web/respond';
import { redirectWithNotice } from '$lib/server/web/notice';

export const load: PageServerLoad = async ({ locals, params }) => {
	const id = idParam(params.id);
	const school = await getSchoolForEditing(getDb(), signedIn(locals), id);
	return { school, basedOn: schoolFormVersion(school) };
};

export const actions: Actions = {
	default: async ({ request, locals, params }) => {
		const id = idParam(params.id);
		const form = await request.formData();
		const values = schoolValuesFromForm(form);
		const basedOn = basedOnFromForm(form);
		const result = await updateSchool(getDb(), signedIn(locals), id, values, basedOn);
		if (!result.ok) return failed(result, { ...values, basedOn });
		redirectWithNotice(`/schools/${id}`, 'saved');
	}
};
