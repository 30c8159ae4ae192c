import { getDb } from '$lib/server/db';
import { getDashboard } from '$lib/server/dashboard/dashboard.service';
import type { PageServerLoad } from './$types';
import { signedIn } from '$lib/server/web/respond';

export const load: PageServerLoad = async ({ locals, url }) => ({
	dashboard: await getDashboard(getDb(), signedIn(locals)),
	welcome: url.searchParams.has('welcome')
});
