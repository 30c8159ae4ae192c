import { getDb } from '$lib/server/db';
import { getAwardDay, logGroupDay } from '$lib/server/awards/award-day.service';
import { groupDayValuesFromForm } from '$lib/server/awards/awards.schema';
import { challengeNames } from '$lib/server/awards/awards.rules';
import { getManagedProgramme } from '$lib/server/programmes/programmes.service';
import { idParam } from '$lib/server/web/route-params';
import { failed, signedIn } from '$lib/server/web/respond';
import { redirectWithNotice } from '$lib/server/web/notice';
import type { Actions, PageServerLoad } from './$types';
import { serverRendered } from '$lib/server-rendered';

// Rendered on the server only, as registers are: the page is kept on a device for a day without
// signal (static/log-day-offline.js) and must work as it was sent, with no app to load.
export const csr = false;

export const load: PageServerLoad = async ({ locals, params }) => {
	const actor = signedIn(locals);
	const programme = await getManagedProgramme(getDb(), actor, idParam(params.id));
	const day = await getAwardDay(getDb(), actor, programme.id, idParam(params.groupId));
	return serverRendered({
		programme: { id: programme.id, name: programme.name },
		...day,
		challenges: Object.entries(challengeNames).map(([value, label]) => ({ value, label }))
	});
};

export const actions: Actions = {
	default: async ({ request, locals, params }) => {
		const values = groupDayValuesFromForm(await request.formData());
		const result = await logGroupDay(getDb(), signedIn(locals), idParam(params.id), idParam(params.groupId), values);
		if (!result.ok) return failed(result, values);
		redirectWithNotice(`/programmes/${params.id}/awards/${params.groupId}/day`, 'logged');
	}
};
