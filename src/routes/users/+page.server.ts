import { getDb } from '$lib/server/db';
import { listUsersPage } from '$lib/server/users/users.service';
import { pageFromParam } from '$lib/server/paging';
import { userFilterFromParams } from '$lib/server/users/users.schema';
import type { PageServerLoad } from './$types';
import { signedIn } from '$lib/server/web/respond';

export const load: PageServerLoad = async ({ locals, url }) => {
	const { values, filter } = userFilterFromParams(url.searchParams);
	const { users, paging } = await listUsersPage(getDb(), signedIn(locals), filter, pageFromParam(url.searchParams.get('page')));
	return { users, paging, filter: values };
};
