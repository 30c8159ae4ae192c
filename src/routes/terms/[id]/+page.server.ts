import { getDb } from '$lib/server/db';
import { changeTerm, getTerm } from '$lib/server/terms/terms.service';
import { termValuesFromForm } from '$lib/server/terms/terms.schema';
import { idParam } from '$lib/server/web/route-params';
import { failed, signedIn } from '$lib/server/web/respond';
import { redirectWithNotice } from '$lib/server/web/notice';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const term = await getTerm(getDb(), signedIn(locals), idParam(params.id));
	return {
		term,
		values: { academicYear: String(term.academic_year), name: term.name, firstDay: term.first_day, lastDay: term.last_day, source: term.source }
	};
};

export const actions: Actions = {
	default: async ({ request, locals, params }) => {
		const values = termValuesFromForm(await request.formData());
		const result = await changeTerm(getDb(), signedIn(locals), idParam(params.id), values);
		if (!result.ok) return failed(result, values);
		redirectWithNotice('/terms', 'saved');
	}
};
