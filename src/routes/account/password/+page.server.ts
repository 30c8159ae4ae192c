import { fail, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { changePassword } from '$lib/server/auth/auth.service';
import { setSessionCookie } from '$lib/server/web/session-cookie';
import { rawField } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';
import { signedIn } from '$lib/server/web/respond';

export const load: PageServerLoad = ({ url }) => ({ changed: url.searchParams.has('changed') });

export const actions: Actions = {
	default: async ({ request, locals, cookies, url }) => {
		const form = await request.formData();
		const result = await changePassword(getDb(), signedIn(locals), {
			currentPassword: rawField(form, 'currentPassword'),
			password: rawField(form, 'password'),
			confirmPassword: rawField(form, 'confirmPassword'),
			address: signedIn(locals).address ?? ''
		});
		if (!result.ok) return fail(400, { errors: result.errors });
		setSessionCookie(cookies, url, result.sessionToken);
		redirect(303, '/account/password?changed=1');
	}
};
