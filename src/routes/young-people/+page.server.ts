import { getDb } from '$lib/server/db';
import { listSchoolChoices, listYoungPeople, openYoungPeople, requireSchoolList } from '$lib/server/young-people/young-people.service';
import type { PageServerLoad } from './$types';
import { signedIn } from '$lib/server/web/respond';
import { pageFromParam } from '$lib/server/paging';

// A school contact sees their own school's list. Admins and leads choose a school first:
// admins any active school, leads the schools in their reach (auth/policy.ts).
export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = signedIn(locals);
	await openYoungPeople(getDb(), actor);
	const search = (url.searchParams.get('search') ?? '').trim().slice(0, 100);
	const include = url.searchParams.getAll('include');
	const filter = { archived: include.includes('archived'), left: include.includes('left') };
	const isContact = actor.role === 'school';
	const schoolId = isContact ? (actor.schoolId ?? '') : (url.searchParams.get('school') ?? '');
	const schools = isContact ? [] : await listSchoolChoices(getDb(), actor);
	if (schoolId === '') return { isContact, schools, school: undefined, youngPeople: [], paging: undefined, filter, search };
	const school = await requireSchoolList(getDb(), actor, schoolId);
	const { youngPeople, paging } = await listYoungPeople(getDb(), actor, school.id, new Date(), {
		search: search || undefined,
		includeArchived: filter.archived,
		includeLeft: filter.left,
		page: pageFromParam(url.searchParams.get('page'))
	});
	return { isContact, schools, school: { id: school.id, name: school.name }, youngPeople, paging, filter, search };
};
