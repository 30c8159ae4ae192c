import { getDb } from '$lib/server/db';
import { getMeetingDay, logCohortMeeting } from '$lib/server/mentoring/meeting-day.service';
import { getMentoringProgramme, topicLabels } from '$lib/server/mentoring/mentoring.service';
import { meetingValuesFromForm } from '$lib/server/mentoring/mentoring.schema';
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
	const programme = await getMentoringProgramme(getDb(), actor, idParam(params.id));
	const day = await getMeetingDay(getDb(), actor, programme.id, idParam(params.cohortId));
	return serverRendered({
		programme: { id: programme.id, name: programme.name },
		...day,
		topics: Object.entries(topicLabels).map(([value, label]) => ({ value, label }))
	});
};

export const actions: Actions = {
	default: async ({ request, locals, params }) => {
		const values = meetingValuesFromForm(await request.formData());
		const result = await logCohortMeeting(getDb(), signedIn(locals), idParam(params.id), idParam(params.cohortId), values);
		if (!result.ok) return failed(result, values);
		redirectWithNotice(`/programmes/${params.id}/mentoring/cohorts/${params.cohortId}/day`, 'meeting');
	}
};
