import { fail } from '@sveltejs/kit';
import { failureErrors } from '$lib/server/result';
import { getDb } from '$lib/server/db';
import type { Actor } from '$lib/server/auth/session';
import { addYoungPerson, findArchivedMatch, requireSchoolList } from '$lib/server/young-people/young-people.service';
import { youngPersonValuesFromForm } from '$lib/server/young-people/young-people.schema';
import type { Actions, PageServerLoad } from './$types';
import { failed, signedIn } from '$lib/server/web/respond';
import { redirectWithNotice } from '$lib/server/web/notice';

// A school contact adds to their own school's list; an admin or a lead to the school chosen on
// the list page (?school=), which the service refuses with a 404 when it is out of their reach.
const schoolOf = (actor: Actor, url: URL) => (actor.role === 'school' ? (actor.schoolId ?? '') : (url.searchParams.get('school') ?? ''));
const listHref = (actor: Actor, schoolId: string) => (actor.role === 'school' ? '/young-people' : `/young-people?school=${schoolId}`);

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = signedIn(locals);
	const school = await requireSchoolList(getDb(), actor, schoolOf(actor, url));
	return { school: { id: school.id, name: school.name }, isContact: actor.role === 'school', listHref: listHref(actor, school.id) };
};

export const actions: Actions = {
	default: async ({ request, locals, url }) => {
		const actor = signedIn(locals);
		const schoolId = schoolOf(actor, url);
		const form = await request.formData();
		const values = youngPersonValuesFromForm(form);
		const result = await addYoungPerson(getDb(), actor, schoolId, values, new Date(), { differentPerson: form.get('different_person') === 'yes' });
		if (!result.ok) {
			// Someone archived with these names: offer their record back rather than a second one.
			const archived =
				result.code === 'refused' && result.reason === 'archived_match' ? await findArchivedMatch(getDb(), actor, schoolId, values, new Date()) : undefined;
			return archived ? fail(400, { values, errors: failureErrors(result), archived }) : failed(result, values);
		}
		const href = listHref(actor, schoolId);
		redirectWithNotice(href, 'Young person added.');
	}
};
