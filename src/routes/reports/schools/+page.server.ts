import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { presentTable, reportColumns } from '$lib/server/reports/present';
import { figuresAsOf, filterData, periodData, reportContext, selectionQuery } from '$lib/server/reports/report-page';
import { parseSort, sortRows } from '$lib/server/reports/report-sort';
import { bySchool } from '$lib/server/reports/reports.service';
import type { PageServerLoad } from './$types';
import { signedIn } from '$lib/server/web/respond';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = signedIn(locals);
	if (actor.role === 'school' && actor.schoolId) redirect(303, `/reports/schools/${actor.schoolId}${url.search}`);
	const db = getDb();
	const context = await reportContext(db, actor, url.searchParams, ['programme', 'school', 'phase', 'town']);
	const period = periodData(context);
	const sort = parseSort(url.searchParams, ['name', 'phase', 'town']);
	// Sorted after suppression, by what the page shows: a hidden figure has no value to sort by.
	const table = period ? presentTable(await bySchool(db, actor, context.selection, context.options)) : null;
	return {
		filter: filterData(context),
		period,
		asOf: await figuresAsOf(db, context),
		columns: reportColumns,
		sort,
		schools: table && { ...table, rows: sortRows(table.rows, sort) },
		schoolQuery: selectionQuery(context.selection, ['programme']),
		query: selectionQuery(context.selection)
	};
};
