import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { comparePage } from '$lib/server/reports/reports.service';
import type { PageServerLoad } from './$types';
import { signedIn } from '$lib/server/web/respond';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = signedIn(locals);
	const result = await comparePage(getDb(), actor, url.searchParams);
	// A school contact's reports are their own school's page, beside the district.
	if (!result.ok) redirect(303, `/reports/schools/${actor.schoolId}`);
	return result.page;
};
