import { fail, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { countChangesFromForm } from '$lib/server/attendance/attendance.schema';
import { getStationRegister, saveStationHeadcounts } from '$lib/server/attendance/station-registers.service';
import { idParam } from '$lib/server/web/route-params';
import type { Actions, PageServerLoad } from './$types';
import { failed, signedIn } from '$lib/server/web/respond';
import { serverRendered } from '$lib/server-rendered';

// Rendered on the server only, as the session's register is: a page kept on a device for a day
// without signal (static/counts-offline.js) must work as it was sent, with no app to load.
export const csr = false;

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const register = await getStationRegister(getDb(), signedIn(locals), idParam(params.id), idParam(params.stationId));
	return serverRendered({
		...register,
		started: new Date() >= register.session.starts_at,
		saved: url.searchParams.get('saved'),
		changed: url.searchParams.get('changed')
	});
};

export const actions: Actions = {
	default: async ({ request, locals, params }) => {
		const id = idParam(params.id);
		const stationId = idParam(params.stationId);
		const { changes, values } = countChangesFromForm(await request.formData(), true);
		const result = await saveStationHeadcounts(getDb(), signedIn(locals), id, stationId, changes);
		if (result.ok && result.conflicts.length > 0) {
			return fail(409, { countConflicts: result.conflicts, saved: result.saved, changed: result.changed });
		}
		if (!result.ok) return failed(result, values, 'counts');
		redirect(303, `/sessions/${id}/register/stations/${stationId}?saved=${result.saved}&changed=${result.changed}`);
	}
};
