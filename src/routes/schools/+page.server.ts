import { getDb } from '$lib/server/db';
import { listSchools } from '$lib/server/schools/schools.service';
import { schoolFilterFromParams } from '$lib/server/schools/schools.schema';
import type { PageServerLoad } from './$types';
import { signedIn } from '$lib/server/web/respond';

export const load: PageServerLoad = async ({ locals, url }) => {
	const { values, filter } = schoolFilterFromParams(url.searchParams);
	return {
		schools: await listSchools(getDb(), signedIn(locals), filter),
		filter: values,
		canManage: signedIn(locals).role === 'admin'
	};
};
