import { getDb } from '$lib/server/db';
import { schoolPage } from '$lib/server/reports/reports.service';
import { idParam } from '$lib/server/web/route-params';
import type { PageServerLoad } from './$types';
import { signedIn } from '$lib/server/web/respond';

export const load: PageServerLoad = async ({ locals, params, url }) => schoolPage(getDb(), signedIn(locals), idParam(params.id), url.searchParams);
