import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { fileResponse } from '$lib/server/exports/file';
import { failureErrors } from '$lib/server/result';
import { pccReturnDownload } from '$lib/server/reports/reports.service';
import type { RequestHandler } from './$types';
import { signedIn } from '$lib/server/web/respond';

/** The return's programmes sheet as CSV (a CSV file holds one table; the XLSX has them all). */
export const GET: RequestHandler = async ({ locals, url }) => {
	const result = await pccReturnDownload(getDb(), signedIn(locals), url.searchParams, 'csv');
	if (!result.ok) error(400, Object.values(failureErrors(result)).join('. '));
	return fileResponse(result.file);
};
