import { getDb } from '$lib/server/db';
import { getMeeting, meetingFormVersion, topicLabels, updateMeeting } from '$lib/server/mentoring/mentoring.service';
import { meetingValuesFromForm } from '$lib/server/mentoring/mentoring.schema';
import { basedOnFromForm } from '$lib/server/edit-versions';
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
		basedOn: meetingFormVersion(meeting),
		finished,
		topics: Object.entries(topicLabels).map(([value, label]) => ({ value, label }))
	};
};

export const actions: Actions = {
	default: async ({ request, locals, params }) => {
		const form = await request.formData();
		const { pairId: _, ...values } = meetingValuesFromForm(form);
		const basedOn = basedOnFromForm(form);
		const result = await updateMeeting(getDb(), signedIn(locals), idParam(params.id), idParam(params.meetingId), values, new Date(), basedOn);
		if (!result.ok) return failed(result, { ...values, basedOn }, 'metOn');
		redirectWithNotice(`/programmes/${params.id}/mentoring/pairs/${result.pairId}`, 'changed');
	}
};
