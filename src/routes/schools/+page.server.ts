import { getDb } from '$lib/server/db';
import { schoolPhases, schoolTowns } from '$lib/server/db/schema';
import { oneOf } from '$lib/server/forms';
import { listSchools } from '$lib/server/schools/schools.service';
import type { PageServerLoad } from './$types';
import { signedIn } from '$lib/server/web/respond';

export const load: PageServerLoad = async ({ locals, url }) => {
	const search = (url.searchParams.get('search') ?? '').trim().slice(0, 100);
	const phase = url.searchParams.get('phase') ?? '';
	const town = url.searchParams.get('town') ?? '';
	const includeInactive = url.searchParams.get('inactive') === 'yes';
	const schools = await listSchools(getDb(), signedIn(locals), {
		search: search || undefined,
		phase: oneOf(schoolPhases, phase) ? phase : undefined,
		town: oneOf(schoolTowns, town) ? town : undefined,
		includeInactive
	});
	return {
		schools,
		filter: { search, phase, town, includeInactive },
		canManage: signedIn(locals).role === 'admin',
		notice: url.searchParams.get('notice')
	};
};
