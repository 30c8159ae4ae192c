import { getDb } from '$lib/server/db';
import { enterProgrammeQuestionnaire, getProgrammeEntry } from '$lib/server/outcomes/outcomes.service';
import { questionnaireValuesFromForm, type QuestionnaireKind } from '$lib/server/outcomes/outcomes.schema';
import { idParam } from '$lib/server/web/route-params';
import { londonParts } from '$lib/server/time';
import type { Actions, PageServerLoad } from './$types';
import { failed, signedIn } from '$lib/server/web/respond';
import { redirectWithNotice } from '$lib/server/web/notice';

const kindOf = (url: URL): QuestionnaireKind => (url.searchParams.get('kind') === 'named' ? 'named' : 'anonymous');

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const entry = await getProgrammeEntry(getDb(), signedIn(locals), idParam(params.id));
	return {
		...entry,
		youngPeople: entry.youngPeople.map((p) => ({ value: p.id, label: `${p.last_name}, ${p.first_name} (${p.school_name})` })),
		kind: kindOf(url),
		// After a save, the date, school and moment stay chosen for the next paper in the pile.
		sticky: {
			answeredOn: url.searchParams.get('on') ?? londonParts(new Date()).date,
			schoolId: url.searchParams.get('school') ?? '',
			moment: url.searchParams.get('moment') ?? ''
		}
	};
};

export const actions: Actions = {
	enter: async ({ request, locals, params, url }) => {
		const kind = kindOf(url);
		const values = questionnaireValuesFromForm(await request.formData());
		const result = await enterProgrammeQuestionnaire(getDb(), signedIn(locals), idParam(params.id), kind, values);
		if (!result.ok) return failed(result, values);
		const keep = new URLSearchParams({
			kind,
			on: values.answeredOn,
			moment: values.moment,
			...(kind === 'anonymous' ? { school: values.schoolId } : {})
		});
		redirectWithNotice(`/programmes/${params.id}/questions/enter?${keep}#enter`, 'saved');
	}
};
