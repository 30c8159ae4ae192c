import { getDb } from '$lib/server/db';
import { listUsers } from '$lib/server/users/users.service';
import { userFilterFromParams } from '$lib/server/users/users.schema';
import type { PageServerLoad } from './$types';
import { signedIn } from '$lib/server/web/respond';

export const load: PageServerLoad = async ({ locals, url }) => {
	const { values, filter } = userFilterFromParams(url.searchParams);
	return { users: await listUsers(getDb(), signedIn(locals), filter), filter: values };
};
