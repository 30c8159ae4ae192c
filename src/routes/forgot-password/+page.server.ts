import { fail } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requestPasswordReset } from '$lib/server/auth/auth.service';
import { emailProblem, field } from '$lib/server/forms';
import type { Actions } from './$types';

export const actions: Actions = {
	default: async ({ request, url, getClientAddress }) => {
		const email = field(await request.formData(), 'email');
		const problem = emailProblem(email);
		if (problem) return fail(400, { email, errors: { email: problem } });
		await requestPasswordReset(getDb(), email, url.origin, getClientAddress());
		// The same answer whether or not the address has an account.
		return { sent: true, email };
	}
};
