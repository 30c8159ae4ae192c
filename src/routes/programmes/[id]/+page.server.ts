import { getDb } from '$lib/server/db';
import { getManagedProgramme, setProgrammeActive } from '$lib/server/programmes/programmes.service';
import { listProgrammeSessions } from '$lib/server/sessions/sessions.service';
import { idParam } from '$lib/server/web/route-params';
import type { Actions, PageServerLoad } from './$types';
import { signedIn } from '$lib/server/web/respond';
import { redirectWithNotice } from '$lib/server/web/notice';

export const load: PageServerLoad = async ({ locals, params }) => {
	const programme = await getManagedProgramme(getDb(), signedIn(locals), idParam(params.id));
	return {
		programme,
		sessions: await listProgrammeSessions(getDb(), signedIn(locals), programme.id),
		isAdmin: signedIn(locals).role === 'admin'
	};
};

export const actions: Actions = {
	deactivate: async ({ locals, params }) => {
		await setProgrammeActive(getDb(), signedIn(locals), idParam(params.id), false);
		redirectWithNotice(`/programmes/${params.id}`, 'deactivated');
	},
	reactivate: async ({ locals, params }) => {
		await setProgrammeActive(getDb(), signedIn(locals), idParam(params.id), true);
		redirectWithNotice(`/programmes/${params.id}`, 'reactivated');
	}
};
