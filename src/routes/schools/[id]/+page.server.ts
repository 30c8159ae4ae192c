import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { UUID } from '$lib/server/forms';
import { notFound } from '$lib/server/result';
import { getSchool, listSchoolContacts, setSchoolActive } from '$lib/server/schools/schools.service';
import type { Actions, PageServerLoad } from './$types';
import { signedIn } from '$lib/server/web/respond';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	if (!UUID.test(params.id)) notFound();
	const school = await getSchool(getDb(), signedIn(locals), params.id);
	return {
		school,
		contacts: await listSchoolContacts(getDb(), signedIn(locals), school.id),
		canManage: signedIn(locals).role === 'admin',
		notice: url.searchParams.get('notice')
	};
};

export const actions: Actions = {
	deactivate: async ({ locals, params }) => {
		if (!UUID.test(params.id)) notFound();
		await setSchoolActive(getDb(), signedIn(locals), params.id, false);
		redirect(303, `/schools/${params.id}?notice=deactivated`);
	},
	reactivate: async ({ locals, params }) => {
		if (!UUID.test(params.id)) notFound();
		await setSchoolActive(getDb(), signedIn(locals), params.id, true);
		redirect(303, `/schools/${params.id}?notice=reactivated`);
	}
};
