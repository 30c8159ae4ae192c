import { fail, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { completeSecondFactor, REMEMBER_DEVICE_MS } from '$lib/server/auth/second-factor.service';
import { invalidateSession } from '$lib/server/auth/session';
import { field } from '$lib/server/forms';
import { failureErrors } from '$lib/server/result';
import { failed } from '$lib/server/web/respond';
import { safeRedirectTarget } from '$lib/server/web/redirects';
import { deleteSessionCookie, setRememberedDeviceCookie, setSessionCookie } from '$lib/server/web/session-cookie';
import type { Actions, PageServerLoad } from './$types';

// The second step of signing in: the code of the user's authenticator app, or a recovery code.
// hooks.server.ts sends a half-signed-in session here from any other page.

function pending(locals: App.Locals) {
	if (locals.user) redirect(303, '/dashboard');
	const user = locals.pendingSignIn;
	if (!user || user.secondFactor !== 'code' || !locals.sessionToken) redirect(303, '/sign-in');
	return { user, sessionToken: locals.sessionToken };
}

export const load: PageServerLoad = ({ locals, url }) => {
	pending(locals);
	return { redirectTo: url.searchParams.get('redirectTo') };
};

export const actions: Actions = {
	verify: async ({ request, locals, cookies, url }) => {
		const { user, sessionToken } = pending(locals);
		const form = await request.formData();
		const code = field(form, 'code');
		const remember = field(form, 'remember') === 'yes';
		const result = await completeSecondFactor(getDb(), user, { code, remember, address: user.address ?? '', sessionToken });
		if (result.ok) {
			setSessionCookie(cookies, url, result.sessionToken);
			if (result.deviceToken) setRememberedDeviceCookie(cookies, url, result.deviceToken, REMEMBER_DEVICE_MS / 1000);
			redirect(303, safeRedirectTarget(url.searchParams.get('redirectTo')));
		}
		// The code is never sent back to the page.
		if (result.code === 'refused' && result.reason === 'throttled') {
			return fail(429, { values: { remember }, errors: failureErrors(result, 'code') });
		}
		return failed(result, { remember }, 'code');
	},
	/** Not this user after all: the half-signed-in session ends, and the sign-in page comes back. */
	cancel: async ({ locals, cookies, url }) => {
		const { sessionToken } = pending(locals);
		await invalidateSession(getDb(), sessionToken);
		deleteSessionCookie(cookies, url);
		redirect(303, '/sign-in');
	}
};
