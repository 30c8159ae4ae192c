import { getDb } from '$lib/server/db';
import { narrativeValuesFromForm } from '$lib/server/reports/pcc-return.schema';
import { pccReturnPage, saveReturnNarrative } from '$lib/server/reports/reports.service';
import type { Actions, PageServerLoad } from './$types';
import { failed, signedIn } from '$lib/server/web/respond';

export const load: PageServerLoad = async ({ locals, url }) => pccReturnPage(getDb(), signedIn(locals), url.searchParams);

export const actions: Actions = {
	narrative: async ({ locals, url, request }) => {
		const values = narrativeValuesFromForm(await request.formData());
		const result = await saveReturnNarrative(getDb(), signedIn(locals), url.searchParams, values);
		// The narrative as typed goes back into its programme's box.
		if (!result.ok) return failed(result, { [values.programmeId]: values.narrative });
		return { saved: values.programmeId };
	}
};
