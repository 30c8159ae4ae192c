import { getDb } from '$lib/server/db';
import { getMarkLabels, markLabelsFormVersion, saveMarkLabels } from '$lib/server/attendance/attendance.service';
import { basedOnFromForm } from '$lib/server/edit-versions';
import { markLabelValuesFromForm } from '$lib/server/attendance/attendance.schema';
import { getManagedProgramme } from '$lib/server/programmes/programmes.service';
import { idParam } from '$lib/server/web/route-params';
import type { Actions, PageServerLoad } from './$types';
import { failed, signedIn } from '$lib/server/web/respond';
import { redirectWithNotice } from '$lib/server/web/notice';

export const load: PageServerLoad = async ({ locals, params }) => {
	const programmeId = idParam(params.id);
	const programme = await getManagedProgramme(getDb(), signedIn(locals), programmeId);
	const labels = await getMarkLabels(getDb(), signedIn(locals), programmeId);
	return { programme: { id: programme.id, name: programme.name }, labels, basedOn: markLabelsFormVersion(labels) };
};

export const actions: Actions = {
	default: async ({ request, locals, params }) => {
		const form = await request.formData();
		const values = markLabelValuesFromForm(form);
		const basedOn = basedOnFromForm(form);
		const result = await saveMarkLabels(getDb(), signedIn(locals), idParam(params.id), values, basedOn);
		if (!result.ok) return failed(result, { ...values, basedOn });
		redirectWithNotice(`/programmes/${params.id}/attendance-labels`, 'Attendance names saved.');
	}
};
