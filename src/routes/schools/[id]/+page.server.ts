import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { getSchool, listSchoolContacts, setSchoolActive } from '$lib/server/schools/schools.service';
import { idParam } from '$lib/server/web/route-params';
import type { Actions, PageServerLoad } from './$types';
import { signedIn } from '$lib/server/web/respond';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const school = await getSchool(getDb(), signedIn(locals), idParam(params.id));
	return {
		school,
		contacts: await listSchoolContacts(getDb(), signedIn(locals), school.id),
		canManage: signedIn(locals).role === 'admin',
		canDownload: signedIn(locals).role === 'admin' || signedIn(locals).schoolId === school.id,
		notice: url.searchParams.get('notice')
	};
};

export const actions: Actions = {
	deactivate: async ({ locals, params }) => {
		await setSchoolActive(getDb(), signedIn(locals), idParam(params.id), false);
		redirect(303, `/schools/${params.id}?notice=deactivated`);
	},
	reactivate: async ({ locals, params }) => {
		await setSchoolActive(getDb(), signedIn(locals), idParam(params.id), true);
		redirect(303, `/schools/${params.id}?notice=reactivated`);
	}
};
