import { redirect, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { getDb, stopDatabase } from '$lib/server/db';
import { startApp } from '$lib/server/startup';
import { deleteSessionCookie, sessionCookieName, validateSessionToken } from '$lib/server/auth/session';

export const init: ServerInit = async () => {
	await startApp();
	// adapter-node emits this on SIGTERM and SIGINT once open requests are done.
	process.once('sveltekit:shutdown' as 'exit', () => {
		void stopDatabase();
	});
};

/** Pages anyone may open; everything else needs a signed-in user. */
const PUBLIC_ROUTES = ['/sign-in', '/forgot-password', '/reset-password/[token]', '/invitation/[token]', '/accessibility'];

export const handle: Handle = async ({ event, resolve }) => {
	const token = event.cookies.get(sessionCookieName(event.url)) ?? null;
	event.locals.sessionToken = token;
	event.locals.user = null;
	if (token) {
		const user = await validateSessionToken(getDb(), token);
		if (user) event.locals.user = { ...user, address: event.getClientAddress() };
		else {
			event.locals.sessionToken = null;
			deleteSessionCookie(event.cookies, event.url);
		}
	}

	const routeId = event.route.id;
	if (routeId !== null && !event.locals.user && !PUBLIC_ROUTES.includes(routeId) && routeId !== '/') {
		const back = event.url.pathname + event.url.search;
		redirect(303, `/sign-in?redirectTo=${encodeURIComponent(back.replace(/\/__data\.json$/, ''))}`);
	}

	const response = await resolve(event);
	// Signed-in pages hold personal data and are used on shared office computers: never cache them.
	if (event.locals.user || routeId?.includes('[token]')) response.headers.set('cache-control', 'no-store');
	response.headers.set('referrer-policy', 'no-referrer');
	response.headers.set('x-content-type-options', 'nosniff');
	response.headers.set('permissions-policy', 'camera=(), microphone=(), geolocation=()');
	return response;
};

export const handleError: HandleServerError = ({ error, event, status, message }) => {
	if (status === 404) return { message: 'Page not found' };
	const errorId = crypto.randomUUID();
	// The route id, not the URL: a URL may carry a one-time link's secret.
	console.error(`Error ${errorId} on ${event.request.method} ${event.route.id ?? '(no route)'}:`, error);
	return { message: status >= 500 ? 'Sorry, there is a problem with the service' : message, errorId };
};
