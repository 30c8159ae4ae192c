import { getDb } from '$lib/server/db';
import { getManagedProgramme } from '$lib/server/programmes/programmes.service';
import { cancelSession, completeSession, getManagedSession, sessionFormVersion, updateSessionDetails } from '$lib/server/sessions/sessions.service';
import { sessionValuesFromForm } from '$lib/server/sessions/sessions.schema';
import { sessionFormValues } from '$lib/server/sessions/session-form';
import { basedOnFromForm } from '$lib/server/edit-versions';
import { idParam } from '$lib/server/web/route-params';
import type { Actions, PageServerLoad } from './$types';
import { failed, failedOrWarned, signedIn } from '$lib/server/web/respond';
import { redirectWithNotice } from '$lib/server/web/notice';

export const load: PageServerLoad = async ({ locals, params }) => {
	const programme = await getManagedProgramme(getDb(), signedIn(locals), idParam(params.id));
	const session = await getManagedSession(getDb(), signedIn(locals), programme.id, idParam(params.sessionId));
	return { programme, session, values: { ...sessionFormValues(session), basedOn: sessionFormVersion(session) } };
};

export const actions: Actions = {
	save: async ({ request, locals, params }) => {
		const form = await request.formData();
		const values = sessionValuesFromForm(form);
		const basedOn = basedOnFromForm(form);
		const result = await updateSessionDetails(getDb(), signedIn(locals), idParam(params.id), idParam(params.sessionId), values, new Date(), basedOn);
		if (!result.ok) return failedOrWarned(result, { ...values, basedOn }, 'in_holiday');
		redirectWithNotice(`/sessions/${params.sessionId}`, 'saved');
	},
	cancel: async ({ locals, params }) => {
		const result = await cancelSession(getDb(), signedIn(locals), idParam(params.id), idParam(params.sessionId));
		if (!result.ok) return failed(result, {}, 'cancel');
		redirectWithNotice(`/sessions/${params.sessionId}`, 'cancelled');
	},
	complete: async ({ locals, params }) => {
		const result = await completeSession(getDb(), signedIn(locals), idParam(params.id), idParam(params.sessionId));
		if (!result.ok) return failed(result, {}, 'complete');
		redirectWithNotice(`/sessions/${params.sessionId}`, 'completed');
	}
};
