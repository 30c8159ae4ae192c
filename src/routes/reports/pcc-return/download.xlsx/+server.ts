import { XLSX_CONTENT_TYPE, toXlsx } from '$lib/server/exports/xlsx';
import { returnSheets } from '../export';
import type { RequestHandler } from './$types';
import { signedIn } from '$lib/server/web/respond';

export const GET: RequestHandler = async ({ locals, url }) => {
	const { sheets, name } = await returnSheets(signedIn(locals), url, 'xlsx');
	const workbook = await toXlsx(sheets.map((s) => ({ name: s.name, header: (s.rows[0] ?? []).map(String), rows: s.rows.slice(1) })));
	return new Response(new Uint8Array(workbook), {
		headers: { 'content-type': XLSX_CONTENT_TYPE, 'content-disposition': `attachment; filename="${name}.xlsx"` }
	});
};
