import { getDb } from '$lib/server/db';
import { getSchool, listSchoolContacts, setSchoolActive } from '$lib/server/schools/schools.service';
import { idParam } from '$lib/server/web/route-params';
import type { Actions, PageServerLoad } from './$types';
import { signedIn } from '$lib/server/web/respond';
import { redirectWithNotice } from '$lib/server/web/notice';

export const load: PageServerLoad = async ({ locals, params }) => {
	const school = await getSchool(getDb(), signedIn(locals), idParam(params.id));
	return {
		school,
		contacts: await listSchoolContacts(getDb(), signedIn(locals), school.id),
		canManage: signedIn(locals).role === 'admin',
		canDownload: signedIn(locals).role === 'admin' || signedIn(locals).schoolId === school.id
	};
};

export const actions: Actions = {
	deactivate: async ({ locals, params }) => {
		await setSchoolActive(getDb(), signedIn(locals), idParam(params.id), false);
		redirectWithNotice(`/schools/${params.id}`, 'deactivated');
	},
	reactivate: async ({ locals, params }) => {
		await setSchoolActive(getDb(), signedIn(locals), idParam(params.id), true);
		redirectWithNotice(`/schools/${params.id}`, 'reactivated');
	}
};
