import { getDb } from '$lib/server/db';
import { changeEnrolmentStage, getEnrolment, stageFormVersion } from '$lib/server/enrolments/enrolments.service';
import { basedOnFromForm } from '$lib/server/edit-versions';
import { stageValuesFromForm } from '$lib/server/enrolments/enrolments.schema';
import { idParam } from '$lib/server/web/route-params';
import type { Actions, PageServerLoad } from './$types';
import { failed, signedIn } from '$lib/server/web/respond';
import { redirectWithNotice } from '$lib/server/web/notice';

export const load: PageServerLoad = async ({ locals, params }) => {
	const { programme, enrolment } = await getEnrolment(getDb(), signedIn(locals), idParam(params.id), idParam(params.enrolmentId), new Date());
	return { programme: { id: programme.id, name: programme.name }, enrolment, basedOn: stageFormVersion(enrolment) };
};

export const actions: Actions = {
	default: async ({ request, locals, params }) => {
		const form = await request.formData();
		const values = stageValuesFromForm(form);
		const basedOn = basedOnFromForm(form);
		const result = await changeEnrolmentStage(getDb(), signedIn(locals), idParam(params.id), idParam(params.enrolmentId), values, new Date(), basedOn);
		if (!result.ok) return failed(result, { ...values, basedOn });
		redirectWithNotice(`/programmes/${params.id}/enrolments`, 'changed');
	}
};
