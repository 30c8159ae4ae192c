import { getDb } from '$lib/server/db';
import { getManagedProgramme } from '$lib/server/programmes/programmes.service';
import { scheduleSessions } from '$lib/server/sessions/sessions.service';
import { sessionValuesFromForm } from '$lib/server/sessions/sessions.schema';
import { formatDate, plural } from '$lib/format';
import { idParam } from '$lib/server/web/route-params';
import type { Actions, PageServerLoad } from './$types';
import { failedOrWarned, signedIn } from '$lib/server/web/respond';
import { redirectWithNotice } from '$lib/server/web/notice';

export const load: PageServerLoad = async ({ locals, params }) => ({
	programme: await getManagedProgramme(getDb(), signedIn(locals), idParam(params.id))
});

export const actions: Actions = {
	default: async ({ request, locals, params }) => {
		const values = sessionValuesFromForm(await request.formData());
		const result = await scheduleSessions(getDb(), signedIn(locals), idParam(params.id), values);
		if (!result.ok) return failedOrWarned(result, values, 'in_holiday');
		const skipped = result.skipped.map((d) => formatDate(d)).join(', ');
		redirectWithNotice(
			`/programmes/${params.id}`,
			skipped ? `${plural(result.ids.length, 'session')} scheduled. Not scheduled, in the school holidays: ${skipped}.` : 'scheduled'
		);
	}
};
