import { getDb } from '$lib/server/db';
import { getDashboard } from '$lib/server/dashboard/dashboard.service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => ({
	dashboard: await getDashboard(getDb(), locals.user!),
	welcome: url.searchParams.has('welcome')
});
