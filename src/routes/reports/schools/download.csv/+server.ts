import { error, redirect } from '@sveltejs/kit';
import { insertAuditEvent } from '$lib/server/audit/audit.queries';
import { getDb } from '$lib/server/db';
import { CSV_CONTENT_TYPE, toCsv } from '$lib/server/exports/csv';
import { exportHeader, exportRows } from '$lib/server/reports/export-table';
import { reportContext } from '$lib/server/reports/report-page';
import { bySchool } from '$lib/server/reports/reports.service';
import type { RequestHandler } from './$types';
import { signedIn } from '$lib/server/web/respond';

/** The by-school report as CSV: one row per school and the total, small counts as c for everyone. */
export const GET: RequestHandler = async ({ locals, url }) => {
	const actor = signedIn(locals);
	if (actor.role === 'school' && actor.schoolId) redirect(303, `/reports/schools/${actor.schoolId}${url.search}`);
	const db = getDb();
	const context = await reportContext(db, actor, url.searchParams, ['programme', 'school', 'phase', 'town']);
	if (Object.keys(context.errors).length > 0) error(400, Object.values(context.errors).join('. '));
	const table = await bySchool(db, actor, context.selection, context.options, true);
	const { period } = context.selection;
	await insertAuditEvent(db, {
		actorId: actor.id,
		action: 'report.downloaded',
		entityType: 'report',
		detail: { report: 'by_school', from: period.from, to: period.to },
		address: actor.address
	});
	const file = toCsv({
		header: ['School', 'Phase', 'Town', ...exportHeader],
		rows: exportRows(table, (s) => [s.name, s.phase, s.town], ['All schools', '', ''])
	});
	return new Response(file, {
		headers: { 'content-type': CSV_CONTENT_TYPE, 'content-disposition': `attachment; filename="report-by-school-${period.from}-to-${period.to}.csv"` }
	});
};
