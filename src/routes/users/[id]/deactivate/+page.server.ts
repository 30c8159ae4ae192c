import { getDb } from '$lib/server/db';
import { getUser } from '$lib/server/users/users.service';
import { idParam } from '$lib/server/web/route-params';
import { signedIn } from '$lib/server/web/respond';
import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

// Asks before a user is deactivated; the form goes to the user page's `deactivate` action.
export const load: PageServerLoad = async ({ locals, params }) => {
	const account = await getUser(getDb(), signedIn(locals), idParam(params.id));
	if (account.status === 'deactivated' || account.id === signedIn(locals).id) redirect(303, `/users/${params.id}`);
	return { account };
};
