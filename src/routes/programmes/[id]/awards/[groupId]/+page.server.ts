import { fail, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { addParticipant, getAwardGroup, logAwardDay, signOffAward } from '$lib/server/awards/awards.service';
import { getManagedProgramme } from '$lib/server/programmes/programmes.service';
import { field } from '$lib/server/forms';
import { idParam } from '$lib/server/web/route-params';
import type { Actions, PageServerLoad } from './$types';
import { signedIn } from '$lib/server/web/respond';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const programmeId = idParam(params.id);
	const programme = await getManagedProgramme(getDb(), signedIn(locals), programmeId);
	const award = await getAwardGroup(getDb(), signedIn(locals), programmeId, idParam(params.groupId), new Date());
	return { programme: { id: programme.id, name: programme.name }, ...award, notice: url.searchParams.get('notice') };
};

const back = (params: { id: string; groupId: string }, notice: string) => `/programmes/${params.id}/awards/${params.groupId}?notice=${notice}`;

export const actions: Actions = {
	addParticipant: async ({ request, locals, params }) => {
		const form = await request.formData();
		const values = { youngPersonId: field(form, 'youngPersonId'), level: field(form, 'level') };
		const result = await addParticipant(getDb(), signedIn(locals), idParam(params.id), idParam(params.groupId), values);
		if (!result.ok) return fail(400, { action: 'addParticipant' as const, values, errors: result.errors });
		redirect(303, back(params, 'added'));
	},
	logDay: async ({ request, locals, params }) => {
		const form = await request.formData();
		const participantId = field(form, 'participantId');
		const values = { day: field(form, 'day'), challenges: form.getAll('challenges').filter((c): c is string => typeof c === 'string') };
		const result = await logAwardDay(getDb(), signedIn(locals), idParam(params.id), idParam(params.groupId), participantId, values, new Date());
		if (!result.ok) return fail(400, { action: 'logDay' as const, participantId, values, errors: result.errors });
		redirect(303, back(params, 'logged'));
	},
	signOff: async ({ request, locals, params }) => {
		const form = await request.formData();
		const participantId = field(form, 'participantId');
		const result = await signOffAward(getDb(), signedIn(locals), idParam(params.id), idParam(params.groupId), participantId, field(form, 'achievedOn'), new Date());
		if (!result.ok) {
			const problems = result.code === 'already_signed_off' ? ['This award has already been signed off'] : result.problems;
			return fail(400, { action: 'signOff' as const, participantId, problems });
		}
		redirect(303, back(params, 'signed-off'));
	}
};
