import { getDb } from '$lib/server/db';
import { addParticipant, getAwardGroup, logAwardDay, signOffAward } from '$lib/server/awards/awards.service';
import { dayValuesFromForm, participantValuesFromForm, signOffValuesFromForm } from '$lib/server/awards/awards.schema';
import { getManagedProgramme } from '$lib/server/programmes/programmes.service';
import { idParam } from '$lib/server/web/route-params';
import type { Actions, PageServerLoad } from './$types';
import { failed, signedIn } from '$lib/server/web/respond';
import { redirectWithNotice } from '$lib/server/web/notice';

export const load: PageServerLoad = async ({ locals, params }) => {
	const programmeId = idParam(params.id);
	const programme = await getManagedProgramme(getDb(), signedIn(locals), programmeId);
	const award = await getAwardGroup(getDb(), signedIn(locals), programmeId, idParam(params.groupId), new Date());
	return { programme: { id: programme.id, name: programme.name }, ...award };
};

const back = (params: { id: string; groupId: string }, notice: string) => redirectWithNotice(`/programmes/${params.id}/awards/${params.groupId}`, notice);

// Several forms on one page, one per participant: each one's values say which it was
// (`action`, `participantId`), so the page shows the errors beside that form.
export const actions: Actions = {
	addParticipant: async ({ request, locals, params }) => {
		const values = participantValuesFromForm(await request.formData());
		const result = await addParticipant(getDb(), signedIn(locals), idParam(params.id), idParam(params.groupId), values);
		if (!result.ok) return failed(result, { action: 'addParticipant' as const, ...values });
		back(params, 'added');
	},
	logDay: async ({ request, locals, params }) => {
		const { participantId, values } = dayValuesFromForm(await request.formData());
		const result = await logAwardDay(getDb(), signedIn(locals), idParam(params.id), idParam(params.groupId), participantId, values, new Date());
		if (!result.ok) return failed(result, { action: 'logDay' as const, participantId, ...values });
		back(params, 'logged');
	},
	signOff: async ({ request, locals, params }) => {
		const { participantId, achievedOn } = signOffValuesFromForm(await request.formData());
		const result = await signOffAward(getDb(), signedIn(locals), idParam(params.id), idParam(params.groupId), participantId, achievedOn, new Date());
		if (!result.ok) return failed(result, { action: 'signOff' as const, participantId }, 'signOff');
		back(params, 'signed-off');
	}
};
