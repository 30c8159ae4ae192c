import { getDb } from '$lib/server/db';
import { listSchoolsPage } from '$lib/server/schools/schools.service';
import { pageFromParam } from '$lib/server/paging';
import { schoolFilterFromParams } from '$lib/server/schools/schools.schema';
import type { PageServerLoad } from './$types';
import { signedIn } from '$lib/server/web/respond';

export const load: PageServerLoad = async ({ locals, url }) => {
	const { values, filter } = schoolFilterFromParams(url.searchParams);
	const { schools, paging } = await listSchoolsPage(getDb(), signedIn(locals), filter, pageFromParam(url.searchParams.get('page')));
	return {
		schools,
		paging,
		filter: values,
		canManage: signedIn(locals).role === 'admin'
	};
};
