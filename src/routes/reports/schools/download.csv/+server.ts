import { error, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { fileResponse } from '$lib/server/exports/file';
import { failureErrors } from '$lib/server/result';
import { bySchoolDownload } from '$lib/server/reports/reports.service';
import type { RequestHandler } from './$types';
import { signedIn } from '$lib/server/web/respond';

/** The by-school report as CSV: one row per school and the total, small counts as c for everyone. */
export const GET: RequestHandler = async ({ locals, url }) => {
	const actor = signedIn(locals);
	const result = await bySchoolDownload(getDb(), actor, url.searchParams);
	// A school contact's reports are their own school's page, beside the district.
	if (!result.ok && result.code === 'refused') redirect(303, `/reports/schools/${actor.schoolId}${url.search}`);
	if (!result.ok) error(400, Object.values(failureErrors(result)).join('. '));
	return fileResponse(result.file);
};
