import { CSV_CONTENT_TYPE, toCsv } from '$lib/server/exports/csv';
import { returnSheets } from '../export';
import type { RequestHandler } from './$types';
import { signedIn } from '$lib/server/web/respond';

/** The return's programmes sheet as CSV (a CSV file holds one table; the XLSX has them all). */
export const GET: RequestHandler = async ({ locals, url }) => {
	const { sheets, name } = await returnSheets(signedIn(locals), url, 'csv');
	const [header, ...rows] = sheets[0]!.rows;
	return new Response(toCsv({ header: (header ?? []).map(String), rows }), {
		headers: { 'content-type': CSV_CONTENT_TYPE, 'content-disposition': `attachment; filename="${name}.csv"` }
	});
};
