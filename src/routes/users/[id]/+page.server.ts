import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { hasErrors, invalid } from '$lib/server/result';
import { listSchools } from '$lib/server/schools/schools.service';
import { parseUserForm } from '$lib/server/users/users.schema';
import { deactivateUser, getUser, reactivateUser, resendInvitation, updateUserDetails } from '$lib/server/users/users.service';
import { resetSecondFactor } from '$lib/server/auth/second-factor.service';
import { idParam } from '$lib/server/web/route-params';
import type { Actions, PageServerLoad } from './$types';
import { failed, signedIn } from '$lib/server/web/respond';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const user = await getUser(getDb(), signedIn(locals), idParam(params.id));
	const schools = await listSchools(getDb(), signedIn(locals), {});
	return {
		account: user,
		isSelf: user.id === signedIn(locals).id,
		schools: schools.map((s) => ({ id: s.id, name: s.name })),
		notice: url.searchParams.get('notice')
	};
};

export const actions: Actions = {
	save: async ({ request, locals, params }) => {
		const { values, errors, input } = parseUserForm(await request.formData(), { withEmail: false });
		if (hasErrors(errors)) return failed(invalid(errors), values);
		const result = await updateUserDetails(getDb(), signedIn(locals), idParam(params.id), input);
		if (!result.ok) return failed(result, values);
		redirect(303, `/users/${params.id}?notice=saved`);
	},
	deactivate: async ({ locals, params }) => {
		const result = await deactivateUser(getDb(), signedIn(locals), idParam(params.id));
		if (!result.ok) return failed(result, {}, 'deactivate');
		redirect(303, `/users/${params.id}?notice=deactivated`);
	},
	reactivate: async ({ locals, params }) => {
		await reactivateUser(getDb(), signedIn(locals), idParam(params.id));
		redirect(303, `/users/${params.id}?notice=reactivated`);
	},
	resetSecondFactor: async ({ locals, params }) => {
		await resetSecondFactor(getDb(), signedIn(locals), idParam(params.id));
		redirect(303, `/users/${params.id}?notice=second-factor-reset`);
	},
	resend: async ({ locals, params, url }) => {
		await resendInvitation(getDb(), signedIn(locals), idParam(params.id), url.origin);
		redirect(303, `/users/${params.id}?notice=resent`);
	}
};
