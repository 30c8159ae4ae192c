import { getDb } from '$lib/server/db';
import { getMeeting, topicLabels, updateMeeting } from '$lib/server/mentoring/mentoring.service';
import { meetingValuesFromForm } from '$lib/server/mentoring/mentoring.schema';
import { idParam } from '$lib/server/web/route-params';
import { failed, signedIn } from '$lib/server/web/respond';
import { redirectWithNotice } from '$lib/server/web/notice';
import type { Actions, PageServerLoad } from './$types';

// Correcting a logged meeting: the same fields and checks as logging it; the pair stays.

export const load: PageServerLoad = async ({ locals, params }) => {
	const { meeting, finished } = await getMeeting(getDb(), signedIn(locals), idParam(params.id), idParam(params.meetingId));
	return {
		programmeId: params.id,
		meeting,
		finished,
		topics: Object.entries(topicLabels).map(([value, label]) => ({ value, label }))
	};
};

export const actions: Actions = {
	default: async ({ request, locals, params }) => {
		const { pairId: _, ...values } = meetingValuesFromForm(await request.formData());
		const result = await updateMeeting(getDb(), signedIn(locals), idParam(params.id), idParam(params.meetingId), values);
		if (!result.ok) return failed(result, values, 'metOn');
		redirectWithNotice(`/programmes/${params.id}/mentoring/pairs/${result.pairId}`, 'changed');
	}
};
