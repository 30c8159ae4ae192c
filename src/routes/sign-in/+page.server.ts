import { fail, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { signIn } from '$lib/server/auth/auth.service';
import { signInValuesFromForm } from '$lib/server/auth/auth.schema';
import { failureErrors } from '$lib/server/result';
import { failed } from '$lib/server/web/respond';
import { rememberedDeviceCookieName, setSessionCookie } from '$lib/server/web/session-cookie';
import { safeRedirectTarget } from '$lib/server/web/redirects';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, safeRedirectTarget(url.searchParams.get('redirectTo')));
};

export const actions: Actions = {
	default: async ({ request, cookies, url, getClientAddress }) => {
		const { email, password } = signInValuesFromForm(await request.formData());
		const rememberedDevice = cookies.get(rememberedDeviceCookieName(url));
		const result = await signIn(getDb(), { email, password, address: getClientAddress(), rememberedDevice });
		if (result.ok) {
			setSessionCookie(cookies, url, result.token);
			// With a second factor, its code is asked for next; the target waits in the address.
			if (result.secondFactor === 'code') redirect(303, `/sign-in/code${url.search}`);
			redirect(303, safeRedirectTarget(url.searchParams.get('redirectTo')));
		}
		// The password is never sent back to the page.
		if (result.code === 'refused' && result.reason === 'throttled') {
			return fail(429, { values: { email }, errors: failureErrors(result, 'email') });
		}
		return failed(result, { email }, 'email');
	}
};
