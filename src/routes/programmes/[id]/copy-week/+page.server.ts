import { getDb } from '$lib/server/db';
import { field } from '$lib/server/forms';
import { copyWeek, previewWeekCopy } from '$lib/server/sessions/carousel.service';
import { formatDate, plural } from '$lib/format';
import { idParam } from '$lib/server/web/route-params';
import { failed, signedIn } from '$lib/server/web/respond';
import { redirectWithNotice } from '$lib/server/web/notice';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) =>
	previewWeekCopy(getDb(), signedIn(locals), idParam(params.id), url.searchParams.get('from') ?? undefined);

export const actions: Actions = {
	default: async ({ request, locals, params }) => {
		const values = { from: field(await request.formData(), 'from') };
		const result = await copyWeek(getDb(), signedIn(locals), idParam(params.id), values.from);
		if (!result.ok) return failed(result, values, 'from');
		redirectWithNotice(
			`/programmes/${params.id}`,
			`${plural(result.ids.length, 'session')} scheduled for the week of ${formatDate(result.plan.to)}, with their workstations, copied from the week of ${formatDate(result.plan.from)}.`
		);
	}
};
