import { error, redirect, type Handle, type HandleServerError, type RequestEvent, type ServerInit } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { isDatabaseUnavailable, unavailableReason } from '$lib/server/db/unavailable';
import { log } from '$lib/server/log';
import '$lib/server/web/respond';
import { startApp, stopApp } from '$lib/server/startup';
import { keptPage } from '$lib/server/reports/kept';
import { validateSessionToken } from '$lib/server/auth/session';
import { holdUntilSecondFactor } from '$lib/server/web/second-factor-gate';
import { deleteSessionCookie, sessionCookieName } from '$lib/server/web/session-cookie';
import { logRequest, requestIdFor, thrownStatus } from '$lib/server/web/request-log';
import { declaredTooBig, limitRequestBody, lingerOnClose, unreadableAddress } from '$lib/server/web/request-body';
import { isCrossSiteFormPost, refuseCrossSitePost } from '$lib/server/web/csrf';
import { compressResponse } from '$lib/server/web/compress';
import { asUnavailable, UNAVAILABLE_MESSAGE, unavailableResponse } from '$lib/server/web/unavailable';

/** Whether the app is served over https, as its public address says. */
const servedOverHttps = () => process.env.ORIGIN?.startsWith('https://') ?? false;

export const init: ServerInit = async () => {
	await startApp();
	// adapter-node emits this on SIGTERM and SIGINT once open requests are done.
	process.once('sveltekit:shutdown' as 'exit', () => {
		void stopApp();
	});
};

/** Report pages, which may be kept between rebuilds of the figures (see keptPage). */
const REPORT_PAGES = new Set(['/reports', '/reports/schools', '/reports/schools/[id]', '/reports/programmes/[id]', '/reports/trend']);

/** The health checks: no session, no personal data, answered even when the database is not. */
const HEALTH_ROUTES = ['/healthz', '/readyz'];

/** Pages anyone may open; everything else needs a signed-in user. */
const PUBLIC_ROUTES = [
	'/sign-in',
	'/sign-in/code',
	'/sign-in/set-up',
	'/forgot-password',
	'/reset-password/[token]',
	'/invitation/[token]',
	'/accessibility',
	'/privacy',
	'/calendar/[token]',
	'/q',
	...HEALTH_ROUTES
];

/**
 * Every request: a request id, one log line when it is answered, and a 503 "briefly
 * unavailable" instead of a 500 when the database went away under it (handleError marks those).
 */
export const handle: Handle = async ({ event, resolve }) => {
	const started = performance.now();
	const requestId = requestIdFor(event.request);
	event.locals.requestId = requestId;
	let status = 500;
	try {
		let response: Response;
		try {
			response = await handleRequest({ event, resolve });
		} catch (error) {
			// Failed before SvelteKit rendered anything (reading the session, say): no error page to turn into a 503.
			if (!isDatabaseUnavailable(error)) throw error;
			response = unavailableResponse(event, databaseUnavailable(error, event));
		}
		if (event.locals.databaseUnavailable && response.status >= 500) response = asUnavailable(response);
		response.headers.set('x-request-id', requestId);
		status = response.status;
		return compressResponse(event.request, response);
	} catch (thrown) {
		status = thrownStatus(thrown);
		throw thrown;
	} finally {
		logRequest({ requestId, method: event.request.method, route: event.route.id, status, ms: performance.now() - started, errorId: event.locals.errorId });
	}
};

const handleRequest: Handle = async ({ event, resolve }) => {
	// An address the app cannot read, or with a NUL character PostgreSQL cannot store, is the
	// client's mistake (400), and a body is read only up to its route's limit (413).
	if (unreadableAddress(event.url)) error(400, 'The web address has a character in it that is not allowed');
	limitRequestBody(event);
	const token = HEALTH_ROUTES.includes(event.route.id ?? '') ? null : (event.cookies.get(sessionCookieName(event.url)) ?? null);
	event.locals.sessionToken = token;
	event.locals.user = null;
	if (token) {
		const user = await validateSessionToken(getDb(), token);
		if (user) event.locals.user = holdUntilSecondFactor(event, user);
		else {
			event.locals.sessionToken = null;
			deleteSessionCookie(event.cookies, event.url);
		}
	}

	// After the session is read, so a refusal is audited with whoever's browser was made to send it.
	if (isCrossSiteFormPost(event.request, event.url)) return refuseCrossSitePost(getDb(), event);

	const routeId = event.route.id;
	if (routeId !== null && !event.locals.user && !PUBLIC_ROUTES.includes(routeId) && routeId !== '/') {
		const back = event.url.pathname + event.url.search;
		redirect(303, `/sign-in?redirectTo=${encodeURIComponent(back.replace(/\/__data\.json$/, ''))}`);
	}

	const user = event.locals.user;
	const render = async () => withDataErrorStatus(event.isDataRequest, await resolve(event));
	// A report page is the same for the same reader until the figures are rebuilt: kept, it
	// costs a lookup instead of a render. Downloads are not kept (each is audited). The services
	// that change what reports count ask for the rebuild, which drops the kept pages.
	const keep = user && event.request.method === 'GET' && routeId !== null && REPORT_PAGES.has(routeId);
	const response = keep
		? await keptPage(getDb(), `${user.id} ${user.role} ${user.schoolId} ${event.isDataRequest} ${event.request.url}`, render)
		: await render();
	// Signed-in pages hold personal data and are used on shared office computers: never cache them.
	if (event.locals.user || routeId?.includes('[token]')) response.headers.set('cache-control', 'no-store');
	// Links to other sites never carry a page's address (which may hold a one-time link's secret).
	// Not 'no-referrer': Chromium then sends 'Origin: null' with form posts, which CSRF checks refuse.
	response.headers.set('referrer-policy', 'same-origin');
	response.headers.set('x-content-type-options', 'nosniff');
	// A body refused unread is not kept for: the connection ends with the answer, lingering so the answer arrives.
	if (declaredTooBig(event)) {
		response.headers.set('connection', 'close');
		lingerOnClose(event.platform?.req.socket);
	}
	response.headers.set('permissions-policy', 'camera=(), microphone=(), geolocation=()');
	// Served over https (ORIGIN says so), browsers are told never to use plain http for two years,
	// so a sign-in cannot be downgraded on a café's network. nginx sends it too (deploy/).
	if (servedOverHttps()) response.headers.set('strict-transport-security', 'max-age=63072000; includeSubDomains');
	return response;
};

/**
 * SvelteKit answers a page's `__data.json` with status 200 even when its load refused with a
 * 404; give such a response the status of its error, so data requests are refused like pages.
 */
async function dataErrorStatus(response: Response): Promise<Response> {
	const body = await response.text();
	let status = response.status;
	try {
		const parsed = JSON.parse(body) as { nodes?: ({ type?: string; status?: number } | null)[] };
		status = parsed.nodes?.find((node) => node?.type === 'error')?.status ?? status;
	} catch {
		// Not JSON after all: leave it as it was.
	}
	return new Response(body, { status, headers: response.headers });
}

function withDataErrorStatus(isDataRequest: boolean, response: Response): Response | Promise<Response> {
	const json = response.headers.get('content-type')?.startsWith('application/json');
	return isDataRequest && json && response.status === 200 ? dataErrorStatus(response) : response;
}

export const handleError: HandleServerError = ({ error, event, status, message }) => {
	if (status === 404) return { message: 'Page not found' };
	if (isDatabaseUnavailable(error)) {
		const errorId = databaseUnavailable(error, event);
		return { message: UNAVAILABLE_MESSAGE, errorId, unavailable: true };
	}
	const errorId = crypto.randomUUID();
	event.locals.errorId = errorId;
	// The route id, not the URL: a URL may carry a one-time link's secret. The stack, not the
	// whole error: a database error's detail can quote the values of a row.
	const stack = error instanceof Error ? error.stack : String(error);
	log.error({ errorId, requestId: event.locals.requestId, method: event.request.method, route: event.route.id, status, stack }, 'Unhandled error');
	return { message: status >= 500 ? 'Sorry, there is a problem with the service' : message, errorId };
};

/**
 * Logs a request that failed because the database went away, and marks it, so `handle` answers
 * 503 rather than 500. Its message only: these come by the dozen when the database restarts.
 */
function databaseUnavailable(error: unknown, event: RequestEvent): string {
	const errorId = crypto.randomUUID();
	event.locals.errorId = errorId;
	event.locals.databaseUnavailable = true;
	log.warn(
		{ errorId, requestId: event.locals.requestId, method: event.request.method, route: event.route.id, ...unavailableReason(error) },
		'A request failed: the database is unavailable'
	);
	return errorId;
}
