import { getDb } from '$lib/server/db';
import { presentTable, reportColumns } from '$lib/server/reports/present';
import { figuresAsOf, filterData, periodData, reportContext, selectionQuery } from '$lib/server/reports/report-page';
import { schoolReport } from '$lib/server/reports/reports.service';
import { idParam } from '$lib/server/web/route-params';
import type { PageServerLoad } from './$types';
import { signedIn } from '$lib/server/web/respond';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const actor = signedIn(locals);
	const db = getDb();
	const id = idParam(params.id);
	const context = await reportContext(db, actor, url.searchParams, ['programme']);
	const period = periodData(context);
	// Checked even while the choices have errors: another school's page is a 404 whatever is asked.
	const report = await schoolReport(db, actor, id, period ? context.selection : { period: context.selection.period }, context.options);
	return {
		filter: filterData(context),
		period,
		asOf: await figuresAsOf(db, context),
		columns: reportColumns,
		school: report.school,
		districtSchools: report.districtSchools,
		own: period ? presentTable(report.own) : null,
		district: period ? presentTable(report.district) : null,
		query: selectionQuery(context.selection, ['programme']),
		isSchoolContact: actor.role === 'school'
	};
};
