import { getDb } from '$lib/server/db';
import {
	addQuestion,
	getProgrammeOutcomes,
	getQuestionSet,
	moveQuestion,
	questionFormVersion,
	retireQuestion,
	rewordQuestion
} from '$lib/server/outcomes/outcomes.service';
import { basedOnFromForm } from '$lib/server/edit-versions';
import { MAX_QUESTIONS, questionIdFromForm, WORDING_MAX, wordingFromForm } from '$lib/server/outcomes/outcomes.schema';
import { invalidField } from '$lib/server/result';
import { idParam } from '$lib/server/web/route-params';
import { academicYearOf } from '$lib/server/young-people/young-people.schema';
import type { Actions, PageServerLoad } from './$types';
import { failed, signedIn } from '$lib/server/web/respond';
import { redirectWithNotice } from '$lib/server/web/notice';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const db = getDb();
	const set = await getQuestionSet(db, signedIn(locals), idParam(params.id));
	const asked = Number(url.searchParams.get('year'));
	const year = Number.isInteger(asked) && asked >= 2000 && asked <= 2100 ? asked : academicYearOf(new Date());
	// A statement reworded with answers since the address was made is changed as the one in its place.
	const edit = url.searchParams.get('edit');
	const editing = set.active.find((q) => q.id === edit) ?? set.active.find((q) => q.replaces_id !== null && q.replaces_id === edit);
	return {
		...set,
		editing: editing && { ...editing, basedOn: questionFormVersion(editing) },
		year,
		outcomes: await getProgrammeOutcomes(db, signedIn(locals), set.programme.id, { from: `${year}-09-01`, to: `${year + 1}-08-31` }),
		maxQuestions: MAX_QUESTIONS,
		wordingMax: WORDING_MAX
	};
};

const back = (id: string, notice: string) => redirectWithNotice(`/programmes/${id}/questions`, notice);

// The add and the change forms are on one page: each one's values say which it was (`action`).
export const actions: Actions = {
	add: async ({ request, locals, params }) => {
		const wording = wordingFromForm(await request.formData());
		const result = await addQuestion(getDb(), signedIn(locals), idParam(params.id), { wording });
		if (!result.ok) return failed(result, { action: 'add' as const, wording }, 'wording');
		back(params.id, 'added');
	},
	reword: async ({ request, locals, params }) => {
		const form = await request.formData();
		const questionId = questionIdFromForm(form);
		const wording = wordingFromForm(form, 'newWording');
		const basedOn = basedOnFromForm(form);
		const result = await rewordQuestion(getDb(), signedIn(locals), idParam(params.id), questionId, { wording }, new Date(), basedOn);
		if (!result.ok) {
			// The change form's field is `newWording` (the add form on the same page has `wording`).
			const failure = result.code === 'invalid' ? invalidField('newWording', result.errors.wording ?? 'Enter the statement') : result;
			return failed(failure, { action: 'reword' as const, questionId, wording, basedOn }, 'newWording');
		}
		back(params.id, result.replaced ? 'replaced' : 'reworded');
	},
	up: async ({ request, locals, params }) => {
		const result = await moveQuestion(getDb(), signedIn(locals), idParam(params.id), questionIdFromForm(await request.formData()), 'up');
		if (!result.ok) return failed(result, { action: 'move' as const });
		back(params.id, 'moved');
	},
	down: async ({ request, locals, params }) => {
		const result = await moveQuestion(getDb(), signedIn(locals), idParam(params.id), questionIdFromForm(await request.formData()), 'down');
		if (!result.ok) return failed(result, { action: 'move' as const });
		back(params.id, 'moved');
	},
	retire: async ({ request, locals, params }) => {
		await retireQuestion(getDb(), signedIn(locals), idParam(params.id), questionIdFromForm(await request.formData()));
		back(params.id, 'retired');
	}
};
