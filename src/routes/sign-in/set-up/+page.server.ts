import { redirect } from '@sveltejs/kit';
import QRCode from 'qrcode';
import { getDb } from '$lib/server/db';
import { describeSecondFactorKey, newSecondFactorKey, secondFactorStatus, setUpSecondFactor } from '$lib/server/auth/second-factor.service';
import { field } from '$lib/server/forms';
import { failed } from '$lib/server/web/respond';
import { deleteSessionCookie, setSessionCookie } from '$lib/server/web/session-cookie';
import { invalidateSession } from '$lib/server/auth/session';
import type { Actions, PageServerLoad } from './$types';

// Setting up a second factor: a QR code and the key as text for the user's authenticator app,
// then a code from the app to prove it has the key. Reached straight after the password by
// an account that must have one (hooks.server.ts sends it here from any other page), or from
// the account page by a school contact who chooses to.

function settingUp(locals: App.Locals) {
	if (locals.user) return locals.user;
	const user = locals.pendingSignIn;
	if (!user || user.secondFactor !== 'set_up') redirect(303, '/sign-in');
	return user;
}

/** The QR code as an SVG drawn on the server, put inline in the page (the CSP allows no scripts to draw it). */
async function qrSvg(uri: string): Promise<string> {
	return QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 4, color: { dark: '#0b0c0c', light: '#ffffff' } });
}

export const load: PageServerLoad = async ({ locals }) => {
	const user = settingUp(locals);
	const status = await secondFactorStatus(getDb(), user);
	const key = newSecondFactorKey(user);
	return {
		alreadySetUp: status.enabledAt !== null,
		required: status.required,
		key: key.key,
		groupedKey: key.grouped,
		qr: await qrSvg(key.uri)
	};
};

export const actions: Actions = {
	setUp: async ({ request, locals, cookies, url }) => {
		const user = settingUp(locals);
		const form = await request.formData();
		const key = field(form, 'key');
		const result = await setUpSecondFactor(getDb(), user, { key, code: field(form, 'code'), address: user.address ?? '', sessionToken: locals.sessionToken });
		if (result.ok) {
			setSessionCookie(cookies, url, result.sessionToken);
			return { recoveryCodes: result.recoveryCodes };
		}
		// The same key again, so the user need not scan a new QR code after a mistyped code.
		const same = describeSecondFactorKey(user, key);
		return failed(result, same ? { key: same.key, groupedKey: same.grouped, qr: await qrSvg(same.uri) } : {}, 'code');
	},
	/** Not now: a half-signed-in session ends (a signed-in one is left alone), and the sign-in page comes back. */
	cancel: async ({ locals, cookies, url }) => {
		if (locals.pendingSignIn && locals.sessionToken) {
			await invalidateSession(getDb(), locals.sessionToken);
			deleteSessionCookie(cookies, url);
			redirect(303, '/sign-in');
		}
		redirect(303, '/account/second-factor');
	}
};
