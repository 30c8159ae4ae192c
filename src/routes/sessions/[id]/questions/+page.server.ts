import { getDb } from '$lib/server/db';
import { closeSessionCode, enterSessionQuestionnaire, getSessionEntry, openSessionCode } from '$lib/server/outcomes/outcomes.service';
import {
	CODE_DURATIONS,
	codeIdFromForm,
	codeMinutesFromForm,
	DEFAULT_CODE_MINUTES,
	durationLabel,
	questionnaireValuesFromForm,
	type QuestionnaireKind
} from '$lib/server/outcomes/outcomes.schema';
import { idParam } from '$lib/server/web/route-params';
import type { Actions, PageServerLoad } from './$types';
import { failed, signedIn } from '$lib/server/web/respond';
import { redirectWithNotice } from '$lib/server/web/notice';

const kindOf = (url: URL): QuestionnaireKind => (url.searchParams.get('kind') === 'named' ? 'named' : 'anonymous');

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const entry = await getSessionEntry(getDb(), signedIn(locals), idParam(params.id));
	return {
		...entry,
		youngPeople: entry.youngPeople.map((p) => ({ value: p.id, label: `${p.last_name}, ${p.first_name} (${p.school_name})` })),
		kind: kindOf(url),
		// After a save, the school and moment stay chosen for the next paper in the pile.
		sticky: { schoolId: url.searchParams.get('school') ?? '', moment: url.searchParams.get('moment') ?? '' },
		publicAddress: `${url.origin}/q`,
		durations: CODE_DURATIONS.map((m) => ({ value: String(m), label: durationLabel(m) })),
		defaultMinutes: String(DEFAULT_CODE_MINUTES)
	};
};

// The code and the questionnaire forms are on one page: each one's values say which it was (`action`).
export const actions: Actions = {
	open: async ({ request, locals, params }) => {
		const minutes = codeMinutesFromForm(await request.formData());
		const result = await openSessionCode(getDb(), signedIn(locals), idParam(params.id), minutes);
		if (!result.ok) return failed(result, { action: 'open' as const, minutes }, 'minutes');
		redirectWithNotice(`/sessions/${params.id}/questions`, 'opened');
	},
	close: async ({ request, locals, params }) => {
		await closeSessionCode(getDb(), signedIn(locals), idParam(params.id), codeIdFromForm(await request.formData()));
		redirectWithNotice(`/sessions/${params.id}/questions`, 'closed');
	},
	enter: async ({ request, locals, params, url }) => {
		const kind = kindOf(url);
		const values = questionnaireValuesFromForm(await request.formData());
		const result = await enterSessionQuestionnaire(getDb(), signedIn(locals), idParam(params.id), kind, values);
		if (!result.ok) return failed(result, { action: 'enter' as const, ...values });
		const keep = new URLSearchParams({ kind, moment: values.moment, ...(kind === 'anonymous' ? { school: values.schoolId } : {}) });
		redirectWithNotice(`/sessions/${params.id}/questions?${keep}#enter`, 'saved');
	}
};
