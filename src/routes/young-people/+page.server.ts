import { getDb } from '$lib/server/db';
import { requireRole } from '$lib/server/auth/access';
import { listYoungPeople } from '$lib/server/young-people/young-people.service';
import type { PageServerLoad } from './$types';

// For school contacts, their own school's list. (Admins and leads reach lists through the
// service with a school id; these pages do not offer them a school yet.)
export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = locals.user!;
	await requireRole(getDb(), actor, ['school'], { entityType: 'young_person' });
	const search = (url.searchParams.get('search') ?? '').trim().slice(0, 100);
	const youngPeople = await listYoungPeople(getDb(), actor, actor.schoolId ?? '', new Date(), { search: search || undefined });
	return { youngPeople, search, notice: url.searchParams.get('notice') };
};
