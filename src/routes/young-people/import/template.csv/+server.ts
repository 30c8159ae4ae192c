import { getDb } from '$lib/server/db';
import { requireRole } from '$lib/server/auth/access';
import { YOUNG_PEOPLE_TEMPLATE } from '$lib/server/young-people/young-people.import';
import type { RequestHandler } from './$types';
import { signedIn } from '$lib/server/web/respond';

export const GET: RequestHandler = async ({ locals }) => {
	await requireRole(getDb(), signedIn(locals), ['school'], { entityType: 'young_person' });
	return new Response(YOUNG_PEOPLE_TEMPLATE, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': 'attachment; filename="young-people-template.csv"'
		}
	});
};
