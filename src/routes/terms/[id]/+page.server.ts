import { getDb } from '$lib/server/db';
import { changeTerm, getTerm, termFormVersion } from '$lib/server/terms/terms.service';
import { basedOnFromForm } from '$lib/server/edit-versions';
import { termValuesFromForm } from '$lib/server/terms/terms.schema';
import { idParam } from '$lib/server/web/route-params';
import { failed, signedIn } from '$lib/server/web/respond';
import { redirectWithNotice } from '$lib/server/web/notice';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const term = await getTerm(getDb(), signedIn(locals), idParam(params.id));
	return {
		term,
		basedOn: termFormVersion(term),
		values: { academicYear: String(term.academic_year), name: term.name, firstDay: term.first_day, lastDay: term.last_day, source: term.source }
	};
};

export const actions: Actions = {
	default: async ({ request, locals, params }) => {
		const form = await request.formData();
		const values = termValuesFromForm(form);
		const basedOn = basedOnFromForm(form);
		const result = await changeTerm(getDb(), signedIn(locals), idParam(params.id), values, basedOn);
		if (!result.ok) return failed(result, { ...values, basedOn });
		redirectWithNotice('/terms', 'saved');
	}
};
