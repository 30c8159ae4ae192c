import type { Actor } from '$lib/server/auth/session';
import { getDb } from '$lib/server/db';
import { error } from '@sveltejs/kit';
import { insertAuditEvent } from '$lib/server/audit/audit.queries';
import { pccReturn, pccReturnSheets } from '$lib/server/reports/pcc-return';
import { reportContext } from '$lib/server/reports/report-page';
import { requireRole } from '$lib/server/auth/access';
import { financialYearOfDate } from '$lib/server/reports/periods';
import { londonParts } from '$lib/server/time';

/** PCC returns go by financial year: that is the period when none is chosen. */
export function defaultReturnPeriod() {
	return { period: 'financial', year: String(financialYearOfDate(londonParts(new Date()).date)) };
}

/** The return's sheets for a download, always suppressed; the download is audited. */
export async function returnSheets(actor: Actor, url: URL, format: 'csv' | 'xlsx') {
	const db = getDb();
	await requireRole(db, actor, ['admin', 'lead', 'viewer'], { entityType: 'pcc_return' });
	const c = await reportContext(db, actor, url.searchParams, ['programme'], defaultReturnPeriod());
	if (Object.keys(c.errors).length > 0) error(400, Object.values(c.errors).join('. '));
	const now = new Date();
	const sheets = pccReturnSheets(await pccReturn(db, actor, c.selection, c.options, true), now);
	await insertAuditEvent(db, {
		actorId: actor.id,
		action: 'pcc_return.downloaded',
		entityType: 'pcc_return',
		detail: { format, from: c.selection.period.from, to: c.selection.period.to, ...(c.selection.programmeId ? { programme: c.selection.programmeId } : {}) },
		address: actor.address
	});
	const name = `pcc-return-${c.selection.period.from}-to-${c.selection.period.to}`;
	return { sheets, name };
}
