import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { getManagedProgramme, setProgrammeActive } from '$lib/server/programmes/programmes.service';
import { listProgrammeSessions } from '$lib/server/sessions/sessions.service';
import { idParam } from '$lib/server/web/route-params';
import type { Actions, PageServerLoad } from './$types';
import { signedIn } from '$lib/server/web/respond';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const programme = await getManagedProgramme(getDb(), signedIn(locals), idParam(params.id));
	return {
		programme,
		sessions: await listProgrammeSessions(getDb(), signedIn(locals), programme.id),
		isAdmin: signedIn(locals).role === 'admin',
		notice: url.searchParams.get('notice')
	};
};

export const actions: Actions = {
	deactivate: async ({ locals, params }) => {
		await setProgrammeActive(getDb(), signedIn(locals), idParam(params.id), false);
		redirect(303, `/programmes/${params.id}?notice=deactivated`);
	},
	reactivate: async ({ locals, params }) => {
		await setProgrammeActive(getDb(), signedIn(locals), idParam(params.id), true);
		redirect(303, `/programmes/${params.id}?notice=reactivated`);
	}
};
