import { getDb } from '$lib/server/db';
import { getYoungPerson } from '$lib/server/young-people/young-people.service';
import { idParam } from '$lib/server/web/route-params';
import { signedIn } from '$lib/server/web/respond';
import type { PageServerLoad } from './$types';

// Asks before a young person is archived; the form goes to their page's `archive` action.
// An archived record is not found here (it has nothing left to archive), as for an edit.
export const load: PageServerLoad = async ({ locals, params }) => {
	const person = await getYoungPerson(getDb(), signedIn(locals), idParam(params.id), new Date(), 'edit');
	return { person: { id: person.id, first_name: person.first_name, last_name: person.last_name, school_name: person.school_name } };
};
