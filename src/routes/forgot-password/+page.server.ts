import { getDb } from '$lib/server/db';
import { requestPasswordReset } from '$lib/server/auth/auth.service';
import { emailValuesFromForm } from '$lib/server/auth/auth.schema';
import { fail } from '@sveltejs/kit';
import { failureErrors } from '$lib/server/result';
import { failed } from '$lib/server/web/respond';
import type { Actions } from './$types';

export const actions: Actions = {
	default: async ({ request, url, getClientAddress }) => {
		const values = emailValuesFromForm(await request.formData());
		const result = await requestPasswordReset(getDb(), values.email, url.origin, getClientAddress());
		if (!result.ok && result.code === 'refused' && result.reason === 'throttled') return fail(429, { values, errors: failureErrors(result, 'email') });
		if (!result.ok) return failed(result, values, 'email');
		// The same answer whether or not the address has an account.
		return { sent: true, values };
	}
};
