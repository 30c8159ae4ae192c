import { getDb } from '$lib/server/db';
import { requestPasswordReset } from '$lib/server/auth/auth.service';
import { emailValuesFromForm } from '$lib/server/auth/auth.schema';
import { failed } from '$lib/server/web/respond';
import type { Actions } from './$types';

export const actions: Actions = {
	default: async ({ request, url, getClientAddress }) => {
		const values = emailValuesFromForm(await request.formData());
		const result = await requestPasswordReset(getDb(), values.email, url.origin, getClientAddress());
		if (!result.ok) return failed(result, values, 'email');
		// The same answer whether or not the address has an account.
		return { sent: true, values };
	}
};
