import { getDb } from '$lib/server/db';
import { changeEnrolmentStage, getEnrolment } from '$lib/server/enrolments/enrolments.service';
import { stageValuesFromForm } from '$lib/server/enrolments/enrolments.schema';
import { idParam } from '$lib/server/web/route-params';
import type { Actions, PageServerLoad } from './$types';
import { failed, signedIn } from '$lib/server/web/respond';
import { redirectWithNotice } from '$lib/server/web/notice';

export const load: PageServerLoad = async ({ locals, params }) => {
	const { programme, enrolment } = await getEnrolment(getDb(), signedIn(locals), idParam(params.id), idParam(params.enrolmentId), new Date());
	return { programme: { id: programme.id, name: programme.name }, enrolment };
};

export const actions: Actions = {
	default: async ({ request, locals, params }) => {
		const values = stageValuesFromForm(await request.formData());
		const result = await changeEnrolmentStage(getDb(), signedIn(locals), idParam(params.id), idParam(params.enrolmentId), values, new Date());
		if (!result.ok) return failed(result, values);
		redirectWithNotice(`/programmes/${params.id}/enrolments`, 'changed');
	}
};
