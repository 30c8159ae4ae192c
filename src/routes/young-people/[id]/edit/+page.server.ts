import { getDb } from '$lib/server/db';
import { getYoungPerson, updateYoungPerson, youngPersonFormVersion } from '$lib/server/young-people/young-people.service';
import { youngPersonValuesFromForm, type YoungPersonValues } from '$lib/server/young-people/young-people.schema';
import { basedOnFromForm } from '$lib/server/edit-versions';
import { idParam } from '$lib/server/web/route-params';
import type { Actions, PageServerLoad } from './$types';
import { failed, signedIn } from '$lib/server/web/respond';
import { redirectWithNotice } from '$lib/server/web/notice';

const yesNo = (value: boolean | null) => (value === null ? '' : value ? 'yes' : 'no');

export const load: PageServerLoad = async ({ locals, params }) => {
	const now = new Date();
	const found = await getYoungPerson(getDb(), signedIn(locals), idParam(params.id), now);
	const values: YoungPersonValues = {
		first_name: found.first_name,
		last_name: found.last_name,
		year_group: found.year_group ?? '',
		gender: found.gender ?? '',
		sen: yesNo(found.sen),
		free_school_meals: yesNo(found.free_school_meals)
	};
	return { id: found.id, schoolName: found.school_name, name: `${found.first_name} ${found.last_name}`, values, basedOn: youngPersonFormVersion(found, now) };
};

export const actions: Actions = {
	default: async ({ request, locals, params }) => {
		const form = await request.formData();
		const values = youngPersonValuesFromForm(form);
		const basedOn = basedOnFromForm(form);
		const result = await updateYoungPerson(getDb(), signedIn(locals), idParam(params.id), values, new Date(), basedOn);
		if (!result.ok) return failed(result, { ...values, basedOn });
		redirectWithNotice(`/young-people/${params.id}`, 'saved');
	}
};
