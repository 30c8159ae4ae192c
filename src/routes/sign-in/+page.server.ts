import { fail, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { signIn } from '$lib/server/auth/auth.service';
import { setSessionCookie } from '$lib/server/web/session-cookie';
import { emailProblem, field, rawField } from '$lib/server/forms';
import { safeRedirectTarget } from '$lib/server/web/redirects';
import type { FieldErrors } from '$lib/server/result';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, safeRedirectTarget(url.searchParams.get('redirectTo')));
	return { notice: url.searchParams.get('notice') };
};

function minutes(seconds: number): string {
	const m = Math.ceil(seconds / 60);
	return m === 1 ? '1 minute' : `${m} minutes`;
}

export const actions: Actions = {
	default: async ({ request, cookies, url, getClientAddress }) => {
		const form = await request.formData();
		const email = field(form, 'email');
		const password = rawField(form, 'password');
		const errors: FieldErrors = {};
		const problem = emailProblem(email);
		if (problem) errors.email = problem;
		if (password === '') errors.password = 'Enter your password';
		if (Object.keys(errors).length > 0) return fail(400, { email, errors });

		const result = await signIn(getDb(), { email, password, address: getClientAddress() });
		if (result.ok) {
			setSessionCookie(cookies, url, result.token);
			redirect(303, safeRedirectTarget(url.searchParams.get('redirectTo')));
		}
		if (result.reason === 'throttled') {
			return fail(429, {
				email,
				retryAfterSeconds: result.retryAfterSeconds,
				errors: <FieldErrors>{
					email: `Too many attempts to sign in. Wait ${minutes(result.retryAfterSeconds)} before you try again.`
				}
			});
		}
		return fail(400, { email, errors: { email: 'Enter a correct email address and password' } as FieldErrors });
	}
};
