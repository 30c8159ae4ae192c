import { fail, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { acceptInvitation, isLinkUsable } from '$lib/server/auth/auth.service';
import { newPasswordValuesFromForm } from '$lib/server/auth/auth.schema';
import { failed } from '$lib/server/web/respond';
import { setSessionCookie } from '$lib/server/web/session-cookie';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params }) => ({
	usable: await isLinkUsable(getDb(), params.token, 'invitation')
});

export const actions: Actions = {
	default: async ({ request, params, cookies, url, getClientAddress }) => {
		const values = newPasswordValuesFromForm(await request.formData());
		const result = await acceptInvitation(getDb(), { ...values, token: params.token, address: getClientAddress() });
		if (result.ok) {
			setSessionCookie(cookies, url, result.sessionToken);
			redirect(303, '/dashboard?welcome=1');
		}
		if (result.code === 'refused' && result.reason === 'invalid_link') return fail(400, { invalidLink: true, errors: {} });
		return failed(result);
	}
};
