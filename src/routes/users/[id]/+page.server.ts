import { getDb } from '$lib/server/db';
import { hasErrors, invalid } from '$lib/server/result';
import { listSchools } from '$lib/server/schools/schools.service';
import { parseUserForm } from '$lib/server/users/users.schema';
import { deactivateUser, getUser, reactivateUser, resendInvitation, updateUserDetails, userFormVersion } from '$lib/server/users/users.service';
import { resetSecondFactor } from '$lib/server/auth/second-factor.service';
import { basedOnFromForm } from '$lib/server/edit-versions';
import { idParam } from '$lib/server/web/route-params';
import type { Actions, PageServerLoad } from './$types';
import { failed, signedIn } from '$lib/server/web/respond';
import { redirectWithNotice } from '$lib/server/web/notice';

export const load: PageServerLoad = async ({ locals, params }) => {
	const user = await getUser(getDb(), signedIn(locals), idParam(params.id));
	const schools = await listSchools(getDb(), signedIn(locals), {});
	return {
		account: user,
		basedOn: await userFormVersion(getDb(), user),
		isSelf: user.id === signedIn(locals).id,
		schools: schools.map((s) => ({ id: s.id, name: s.name }))
	};
};

export const actions: Actions = {
	save: async ({ request, locals, params }) => {
		// Only admins, and only for a user who exists, get as far as the form's checks.
		await getUser(getDb(), signedIn(locals), idParam(params.id));
		const form = await request.formData();
		const parsed = parseUserForm(form, { withEmail: false });
		const values = { ...parsed.values, basedOn: basedOnFromForm(form) };
		if (hasErrors(parsed.errors)) return failed(invalid(parsed.errors), values);
		const result = await updateUserDetails(getDb(), signedIn(locals), idParam(params.id), parsed.input, values.basedOn);
		if (!result.ok) return failed(result, values);
		redirectWithNotice(`/users/${params.id}`, 'saved');
	},
	deactivate: async ({ locals, params }) => {
		const result = await deactivateUser(getDb(), signedIn(locals), idParam(params.id));
		if (!result.ok) return failed(result, {}, 'deactivate');
		redirectWithNotice(`/users/${params.id}`, 'deactivated');
	},
	reactivate: async ({ locals, params }) => {
		await reactivateUser(getDb(), signedIn(locals), idParam(params.id));
		redirectWithNotice(`/users/${params.id}`, 'reactivated');
	},
	resetSecondFactor: async ({ locals, params }) => {
		await resetSecondFactor(getDb(), signedIn(locals), idParam(params.id));
		redirectWithNotice(`/users/${params.id}`, 'second-factor-reset');
	},
	resend: async ({ locals, params, url }) => {
		await resendInvitation(getDb(), signedIn(locals), idParam(params.id), url.origin);
		redirectWithNotice(`/users/${params.id}`, 'resent');
	}
};
