import { fail } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { field, rawField } from '$lib/server/forms';
import { pccReturn, presentPccReturn, saveNarrative, NARRATIVE_MAX } from '$lib/server/reports/pcc-return';
import { reportColumns } from '$lib/server/reports/present';
import { filterData, periodData, reportContext, selectionQuery } from '$lib/server/reports/report-page';
import { requireRole } from '$lib/server/auth/access';
import { defaultReturnPeriod } from './export';
import type { Actions, PageServerLoad } from './$types';
import { signedIn } from '$lib/server/web/respond';


async function context(locals: App.Locals, url: URL) {
	const actor = signedIn(locals);
	const db = getDb();
	await requireRole(db, actor, ['admin', 'lead', 'viewer'], { entityType: 'pcc_return' });
	return { actor, db, context: await reportContext(db, actor, url.searchParams, ['programme'], defaultReturnPeriod()) };
}

export const load: PageServerLoad = async ({ locals, url }) => {
	const { actor, db, context: c } = await context(locals, url);
	const period = periodData(c);
	const data = period ? presentPccReturn(await pccReturn(db, actor, c.selection, c.options)) : null;
	return {
		filter: filterData(c),
		period,
		columns: reportColumns,
		pcc: data,
		narrativeMax: NARRATIVE_MAX,
		query: selectionQuery(c.selection, ['programme'])
	};
};

export const actions: Actions = {
	narrative: async ({ locals, url, request }) => {
		const { actor, db, context: c } = await context(locals, url);
		if (Object.keys(c.errors).length > 0) return fail(400, { narrativeErrors: c.errors, values: {} as Record<string, string> });
		const form = await request.formData();
		const programmeId = field(form, 'programmeId');
		const narrative = rawField(form, 'narrative');
		const result = await saveNarrative(db, actor, c.selection.period, { programmeId, narrative });
		if (!result.ok) return fail(400, { narrativeErrors: result.errors, values: { [programmeId]: narrative } });
		return { saved: programmeId };
	}
};
