import { getDb } from '$lib/server/db';
import { notFound } from '$lib/server/result';
import { canManageProgramme } from '$lib/server/programmes/programmes.service';
import { presentTable } from '$lib/server/reports/present';
import { figuresAsOf, filterData, periodData, reportContext, selectionQuery } from '$lib/server/reports/report-page';
import { districtOverview, programmeSessions } from '$lib/server/reports/reports.service';
import { idParam } from '$lib/server/web/route-params';
import type { PageServerLoad } from './$types';
import { signedIn } from '$lib/server/web/respond';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const actor = signedIn(locals);
	const db = getDb();
	const id = idParam(params.id);
	const context = await reportContext(db, actor, url.searchParams, ['school', 'phase', 'town']);
	const programme = context.options.programmes.find((p) => p.id === id);
	if (!programme) notFound();
	const period = periodData(context);
	const selection = { ...context.selection, programmeId: id };
	// The overview authorises the reader (admins, leads and report viewers); only the
	// programme's own leads and admins are offered its sessions, so no one else is refused them.
	const overview = await districtOverview(db, actor, selection, context.options);
	const canDrillDown = await canManageProgramme(db, actor, id);
	const sessions = period && canDrillDown ? await programmeSessions(db, actor, id, selection) : null;
	const table = presentTable(overview.programmes);
	return {
		filter: filterData(context),
		period,
		asOf: await figuresAsOf(db, context),
		programme: { id: programme.id, name: programme.name, priority: programme.partnership_priority, tags: programme.pcc_tags },
		figures: period ? (table.rows[0]?.cells ?? table.total) : null,
		threshold: table.threshold,
		canDrillDown,
		sessions: sessions?.map((s) => ({
			id: s.session_id,
			start: s.local_start,
			status: s.status,
			delivered: s.delivered,
			schools: s.schools,
			placesBooked: s.places_booked,
			attended: s.attended,
			rate: s.expected > 0 ? `${Math.round((s.attended / s.expected) * 100)}%` : 'n/a'
		})),
		query: selectionQuery(selection),
		schoolsQuery: selectionQuery(selection, ['programme', 'phase', 'town'])
	};
};
