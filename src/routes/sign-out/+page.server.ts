import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { signOut } from '$lib/server/auth/auth.service';
import { deleteSessionCookie } from '$lib/server/web/session-cookie';
import type { Actions, PageServerLoad } from './$types';
import { redirectWithNotice } from '$lib/server/web/notice';

export const load: PageServerLoad = ({ locals }) => {
	if (!locals.user) redirect(303, '/sign-in');
	return {};
};

export const actions: Actions = {
	default: async ({ locals, cookies, url, getClientAddress, setHeaders }) => {
		// Registers kept on this device for use without a connection (IndexedDB, the service
		// worker and its caches: static/register-offline.js) go with the sign-out.
		setHeaders({ 'clear-site-data': '"storage"' });
		if (locals.user && locals.sessionToken) {
			await signOut(getDb(), locals.user, locals.sessionToken, getClientAddress());
		}
		deleteSessionCookie(cookies, url);
		redirectWithNotice('/sign-in', 'signed-out');
	}
};
