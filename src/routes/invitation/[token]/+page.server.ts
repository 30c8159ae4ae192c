import { fail, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { acceptInvitation, isLinkUsable } from '$lib/server/auth/auth.service';
import { setSessionCookie } from '$lib/server/web/session-cookie';
import { rawField } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params }) => ({
	usable: await isLinkUsable(getDb(), params.token, 'invitation')
});

export const actions: Actions = {
	default: async ({ request, params, cookies, url, getClientAddress }) => {
		const form = await request.formData();
		const result = await acceptInvitation(getDb(), {
			token: params.token,
			password: rawField(form, 'password'),
			confirmPassword: rawField(form, 'confirmPassword'),
			address: getClientAddress()
		});
		if (result.ok) {
			setSessionCookie(cookies, url, result.sessionToken!);
			redirect(303, '/dashboard?welcome=1');
		}
		if (result.reason === 'invalid_link') return fail(400, { invalidLink: true, errors: {} });
		return fail(400, { errors: result.errors });
	}
};
