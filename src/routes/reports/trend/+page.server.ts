import { getDb } from '$lib/server/db';
import { trendPage } from '$lib/server/reports/reports.service';
import type { PageServerLoad } from './$types';
import { signedIn } from '$lib/server/web/respond';

export const load: PageServerLoad = async ({ locals, url }) => trendPage(getDb(), signedIn(locals), url.searchParams);
