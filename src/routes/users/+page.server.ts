import { getDb } from '$lib/server/db';
import { roles, userStatuses } from '$lib/server/db/schema';
import { oneOf } from '$lib/server/forms';
import { listUsers } from '$lib/server/users/users.service';
import type { PageServerLoad } from './$types';
import { signedIn } from '$lib/server/web/respond';

export const load: PageServerLoad = async ({ locals, url }) => {
	const search = (url.searchParams.get('search') ?? '').trim().slice(0, 100);
	const role = url.searchParams.get('role') ?? '';
	const status = url.searchParams.get('status') ?? '';
	const users = await listUsers(getDb(), signedIn(locals), {
		search: search || undefined,
		role: oneOf(roles, role) ? role : undefined,
		status: oneOf(userStatuses, status) ? status : undefined
	});
	return { users, filter: { search, role, status }, notice: url.searchParams.get('notice') };
};
