import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { presentTable, reportColumns } from '$lib/server/reports/present';
import { presentOutcome } from '$lib/server/reports/pcc-return';
import { figuresAsOf, filterData, periodData, reportContext, selectionQuery } from '$lib/server/reports/report-page';
import { districtOverview } from '$lib/server/reports/reports.service';
import type { PageServerLoad } from './$types';
import { signedIn } from '$lib/server/web/respond';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = signedIn(locals);
	// A school contact's reports are their own school's page, beside the district.
	if (actor.role === 'school' && actor.schoolId) redirect(303, `/reports/schools/${actor.schoolId}${url.search}`);
	const db = getDb();
	// The district's figures, by programme, phase or town; one school's are on its own page.
	const context = await reportContext(db, actor, url.searchParams, ['programme', 'phase', 'town']);
	const period = periodData(context);
	const overview = period ? await districtOverview(db, actor, context.selection, context.options) : null;
	return {
		filter: filterData(context),
		period,
		asOf: await figuresAsOf(db, context),
		columns: reportColumns,
		overview: overview && {
			programmes: presentTable(overview.programmes),
			phases: overview.phases,
			// Outcomes by programme, only those with answers; the same order as the programmes.
			outcomes: overview.programmes.rows
				.map((p, i) => ({ id: p.id, name: p.name, ...presentOutcome(overview.outcomes.programmes[i]!) }))
				.filter((o) => o.pairs.value !== 0),
			outcomeTotal: presentOutcome(overview.outcomes.total)
		},
		programmeQuery: selectionQuery(context.selection, ['phase', 'town']),
		query: selectionQuery(context.selection)
	};
};
