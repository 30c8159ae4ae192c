import { getDb } from '$lib/server/db';
import { presentTable, reportColumns } from '$lib/server/reports/present';
import { figuresAsOf, filterData, periodData, recentAcademicYears, reportContext, selectionQuery } from '$lib/server/reports/report-page';
import { trendByQuarter } from '$lib/server/reports/reports.service';
import type { PageServerLoad } from './$types';
import { signedIn } from '$lib/server/web/respond';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = signedIn(locals);
	const db = getDb();
	// A trend needs more than one year: with no period chosen, the last three academic years.
	const context = await reportContext(db, actor, url.searchParams, ['programme', 'school', 'phase', 'town'], recentAcademicYears());
	const period = periodData(context);
	const table = period ? presentTable(await trendByQuarter(db, actor, context.selection)) : null;
	return {
		filter: filterData(context),
		period,
		asOf: await figuresAsOf(db, context),
		columns: reportColumns,
		quarters: table,
		query: selectionQuery(context.selection)
	};
};
