import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { schoolsPage } from '$lib/server/reports/reports.service';
import type { PageServerLoad } from './$types';
import { signedIn } from '$lib/server/web/respond';
import { serverRendered } from '$lib/server-rendered';

// Rendered on the server only, with one script of its own that draws the charts
// ($lib/charts/report-page.ts): its choices are a GET form and the rest is links, so hydrating
// it only cost SvelteKit's runtime (see that script).
export const csr = false;

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = signedIn(locals);
	const result = await schoolsPage(getDb(), actor, url.searchParams);
	// A school contact's reports are their own school's page, beside the district.
	if (!result.ok) redirect(303, `/reports/schools/${actor.schoolId}${url.search}`);
	return serverRendered(result.page);
};
