import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { changePassword } from '$lib/server/auth/auth.service';
import { changePasswordValuesFromForm } from '$lib/server/auth/auth.schema';
import { failed, signedIn } from '$lib/server/web/respond';
import { setSessionCookie } from '$lib/server/web/session-cookie';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ url }) => ({ changed: url.searchParams.has('changed') });

export const actions: Actions = {
	default: async ({ request, locals, cookies, url }) => {
		const actor = signedIn(locals);
		const values = changePasswordValuesFromForm(await request.formData());
		const result = await changePassword(getDb(), actor, { ...values, address: actor.address ?? '' });
		if (!result.ok) return failed(result, {}, 'currentPassword');
		setSessionCookie(cookies, url, result.sessionToken);
		redirect(303, '/account/password?changed=1');
	}
};
