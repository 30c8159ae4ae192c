import { fail, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { isLinkUsable, resetPassword } from '$lib/server/auth/auth.service';
import { rawField } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params }) => ({
	usable: await isLinkUsable(getDb(), params.token, 'password_reset')
});

export const actions: Actions = {
	default: async ({ request, params, getClientAddress }) => {
		const form = await request.formData();
		const result = await resetPassword(getDb(), {
			token: params.token,
			password: rawField(form, 'password'),
			confirmPassword: rawField(form, 'confirmPassword'),
			address: getClientAddress()
		});
		if (result.ok) redirect(303, '/sign-in?notice=password-reset');
		if (result.reason === 'invalid_link') return fail(400, { invalidLink: true, errors: {} });
		return fail(400, { errors: result.errors });
	}
};
