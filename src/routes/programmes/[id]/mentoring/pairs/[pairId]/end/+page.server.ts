import { getDb } from '$lib/server/db';
import { endPair, endReasonLabels, getPair } from '$lib/server/mentoring/mentoring.service';
import { field } from '$lib/server/forms';
import { idParam } from '$lib/server/web/route-params';
import { failed, signedIn } from '$lib/server/web/respond';
import { redirectWithNotice } from '$lib/server/web/notice';
import type { Actions, PageServerLoad } from './$types';

// Ending a pair asks first, with the reason: the pair and its meetings stay, the mentor's place frees up.

export const load: PageServerLoad = async ({ locals, params }) => {
	const { pair, meetings, finished } = await getPair(getDb(), signedIn(locals), idParam(params.id), idParam(params.pairId));
	return {
		programmeId: params.id,
		pair,
		meetingCount: meetings.length,
		finished,
		reasons: Object.entries(endReasonLabels).map(([value, label]) => ({ value, label }))
	};
};

export const actions: Actions = {
	default: async ({ request, locals, params }) => {
		const reason = field(await request.formData(), 'reason');
		const result = await endPair(getDb(), signedIn(locals), idParam(params.id), idParam(params.pairId), reason);
		if (!result.ok) return failed(result, { reason }, 'reason');
		redirectWithNotice(`/programmes/${params.id}/mentoring/pairs/${params.pairId}`, 'ended');
	}
};
