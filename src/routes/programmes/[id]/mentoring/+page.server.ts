import { getDb } from '$lib/server/db';
import {
	createCohort,
	currentAcademicYear,
	getCohortOverview,
	getMentoringProgramme,
	listCohorts,
	logMeeting,
	pairMentor,
	topicLabels
} from '$lib/server/mentoring/mentoring.service';
import { cohortValuesFromForm, meetingValuesFromForm, pairValuesFromForm } from '$lib/server/mentoring/mentoring.schema';
import { idParam } from '$lib/server/web/route-params';
import { londonParts } from '$lib/server/time';
import type { Actions, PageServerLoad } from './$types';
import { failed, signedIn } from '$lib/server/web/respond';
import { redirectWithNotice } from '$lib/server/web/notice';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const actor = signedIn(locals);
	const programme = await getMentoringProgramme(getDb(), actor, idParam(params.id));
	const cohorts = await listCohorts(getDb(), actor, programme.id);
	const chosenId = url.searchParams.get('cohort') ?? cohorts[0]?.id;
	const today = londonParts(new Date()).date;
	return {
		programme: { id: programme.id, name: programme.name },
		cohorts,
		overview: chosenId ? await getCohortOverview(getDb(), actor, programme.id, chosenId, today) : undefined,
		today,
		currentYear: currentAcademicYear(),
		topics: Object.entries(topicLabels).map(([value, label]) => ({ value, label }))
	};
};

// The page holds three forms: a refused one comes back with its values and which form it was.
export const actions: Actions = {
	cohort: async ({ request, locals, params }) => {
		const values = cohortValuesFromForm(await request.formData());
		const result = await createCohort(getDb(), signedIn(locals), idParam(params.id), values);
		if (!result.ok) return failed(result, { ...values, action: 'cohort' as const });
		redirectWithNotice(`/programmes/${params.id}/mentoring?cohort=${result.id}`, 'cohort');
	},
	pair: async ({ request, locals, params, url }) => {
		const cohortId = url.searchParams.get('cohort') ?? '';
		const values = pairValuesFromForm(await request.formData());
		const result = await pairMentor(getDb(), signedIn(locals), idParam(params.id), cohortId, values);
		if (!result.ok) return failed(result, { ...values, action: 'pair' as const });
		redirectWithNotice(`/programmes/${params.id}/mentoring?cohort=${encodeURIComponent(cohortId)}`, 'paired');
	},
	meeting: async ({ request, locals, params, url }) => {
		const cohortId = url.searchParams.get('cohort') ?? '';
		const values = meetingValuesFromForm(await request.formData());
		const result = await logMeeting(getDb(), signedIn(locals), idParam(params.id), values);
		if (!result.ok) return failed(result, { ...values, action: 'meeting' as const });
		redirectWithNotice(`/programmes/${params.id}/mentoring?cohort=${encodeURIComponent(cohortId)}`, 'meeting');
	}
};
