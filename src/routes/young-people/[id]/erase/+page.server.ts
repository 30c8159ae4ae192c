import { getDb } from '$lib/server/db';
import { eraseYoungPerson, openErasure } from '$lib/server/retention/retention.service';
import { erasureValuesFromForm } from '$lib/server/retention/retention.schema';
import { idParam } from '$lib/server/web/route-params';
import type { Actions, PageServerLoad } from './$types';
import { failed, signedIn } from '$lib/server/web/respond';
import { redirectWithNotice } from '$lib/server/web/notice';

export const load: PageServerLoad = async ({ locals, params }) => {
	const found = await openErasure(getDb(), signedIn(locals), idParam(params.id));
	return { ...found, anonymisedAt: found.anonymisedAt?.toISOString() ?? null };
};

export const actions: Actions = {
	default: async ({ request, locals, params }) => {
		const values = erasureValuesFromForm(await request.formData());
		const result = await eraseYoungPerson(getDb(), signedIn(locals), idParam(params.id), values, new Date());
		if (!result.ok) return failed(result, values);
		redirectWithNotice(`/young-people/${params.id}`, 'erased');
	}
};
