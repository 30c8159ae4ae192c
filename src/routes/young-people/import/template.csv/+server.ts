import { getDb } from '$lib/server/db';
import { openYoungPeopleImport } from '$lib/server/young-people/young-people.import';
import type { RequestHandler } from './$types';
import { signedIn } from '$lib/server/web/respond';

export const GET: RequestHandler = async ({ locals }) => {
	const { template } = await openYoungPeopleImport(getDb(), signedIn(locals));
	return new Response(template, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': 'attachment; filename="young-people-template.csv"'
		}
	});
};
