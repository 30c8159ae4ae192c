import { fail } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { isLinkUsable, resetPassword } from '$lib/server/auth/auth.service';
import { newPasswordValuesFromForm } from '$lib/server/auth/auth.schema';
import { failed } from '$lib/server/web/respond';
import type { Actions, PageServerLoad } from './$types';
import { redirectWithNotice } from '$lib/server/web/notice';

export const load: PageServerLoad = async ({ params }) => ({
	usable: await isLinkUsable(getDb(), params.token, 'password_reset')
});

export const actions: Actions = {
	default: async ({ request, params, getClientAddress }) => {
		const values = newPasswordValuesFromForm(await request.formData());
		const result = await resetPassword(getDb(), { ...values, token: params.token, address: getClientAddress() });
		if (result.ok) redirectWithNotice('/sign-in', 'password-reset');
		if (result.code === 'refused' && result.reason === 'invalid_link') return fail(400, { invalidLink: true, errors: {} });
		return failed(result);
	}
};
