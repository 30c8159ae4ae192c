import { getDb } from '$lib/server/db';
import { openSchoolImport } from '$lib/server/schools/schools.service';
import type { RequestHandler } from './$types';
import { signedIn } from '$lib/server/web/respond';

export const GET: RequestHandler = async ({ locals }) => {
	const { template } = await openSchoolImport(getDb(), signedIn(locals));
	return new Response(template, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': 'attachment; filename="schools-template.csv"'
		}
	});
};
