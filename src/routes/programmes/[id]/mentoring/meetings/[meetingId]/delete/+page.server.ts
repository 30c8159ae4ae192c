import { getDb } from '$lib/server/db';
import { deleteMeeting, getMeeting } from '$lib/server/mentoring/mentoring.service';
import { idParam } from '$lib/server/web/route-params';
import { failed, signedIn } from '$lib/server/web/respond';
import { redirectWithNotice } from '$lib/server/web/notice';
import type { Actions, PageServerLoad } from './$types';

// Deleting a meeting logged by mistake asks first.

export const load: PageServerLoad = async ({ locals, params }) => {
	const { meeting, finished } = await getMeeting(getDb(), signedIn(locals), idParam(params.id), idParam(params.meetingId));
	return { programmeId: params.id, meeting, finished };
};

export const actions: Actions = {
	default: async ({ locals, params }) => {
		const result = await deleteMeeting(getDb(), signedIn(locals), idParam(params.id), idParam(params.meetingId));
		if (!result.ok) return failed(result, {});
		redirectWithNotice(`/programmes/${params.id}/mentoring/pairs/${result.pairId}`, 'deleted');
	}
};
