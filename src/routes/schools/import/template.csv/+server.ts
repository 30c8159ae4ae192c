import { getDb } from '$lib/server/db';
import { requireRole } from '$lib/server/auth/access';
import type { RequestHandler } from './$types';
import { signedIn } from '$lib/server/web/respond';

export const GET: RequestHandler = async ({ locals }) => {
	await requireRole(getDb(), signedIn(locals), ['admin'], { entityType: 'school' });
	const body = 'name,urn,phase,town\r\nExample Primary School,123456,primary,Dover\r\n';
	return new Response(body, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': 'attachment; filename="schools-template.csv"'
		}
	});
};
