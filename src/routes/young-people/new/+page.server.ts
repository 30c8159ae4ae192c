import { fail, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requireRole } from '$lib/server/auth/access';
import { addYoungPerson } from '$lib/server/young-people/young-people.service';
import { youngPersonValuesFromForm } from '$lib/server/young-people/young-people.schema';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	await requireRole(getDb(), locals.user!, ['school'], { entityType: 'young_person' });
};

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const actor = locals.user!;
		await requireRole(getDb(), actor, ['school'], { entityType: 'young_person' });
		const values = youngPersonValuesFromForm(await request.formData());
		const result = await addYoungPerson(getDb(), actor, actor.schoolId ?? '', values, new Date());
		if (!result.ok) return fail(400, { values, errors: result.errors });
		redirect(303, `/young-people?notice=${encodeURIComponent('Young person added.')}`);
	}
};
