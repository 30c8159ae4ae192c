import { getDb } from '$lib/server/db';
import { lifetimeActions } from '$lib/server/retention/retention.service';
import { archiveYoungPerson, getYoungPersonRecord, restoreYoungPerson } from '$lib/server/young-people/young-people.service';
import { idParam } from '$lib/server/web/route-params';
import type { Actions, PageServerLoad } from './$types';
import { failed, signedIn } from '$lib/server/web/respond';
import { redirectWithNotice } from '$lib/server/web/notice';

export const load: PageServerLoad = async ({ locals, params }) => {
	const actor = signedIn(locals);
	const record = await getYoungPersonRecord(getDb(), actor, idParam(params.id), new Date());
	return {
		...record,
		isContact: actor.role === 'school',
		offers: lifetimeActions(actor),
		// Admins and leads manage the programmes of the rows they see; a contact sees them read-only.
		managesProgrammes: actor.role === 'admin' || actor.role === 'lead'
	};
};

export const actions: Actions = {
	archive: async ({ locals, params }) => {
		await archiveYoungPerson(getDb(), signedIn(locals), idParam(params.id), new Date());
		redirectWithNotice(`/young-people/${params.id}`, 'archived');
	},
	restore: async ({ locals, params }) => {
		const result = await restoreYoungPerson(getDb(), signedIn(locals), idParam(params.id));
		if (!result.ok) return failed(result, undefined, 'restore');
		redirectWithNotice(`/young-people/${params.id}`, 'restored');
	}
};
