import { json, type RequestEvent } from '@sveltejs/kit';

// When the database goes away, the requests in flight fail. SvelteKit renders a failed load as
// its 500 page; these turn that into what it is, a 503 "briefly unavailable" with Retry-After,
// so browsers, proxies and monitors know to try again rather than report a fault in the app.

/** Long enough for a restart or a failover; the app itself serves again at once. */
export const RETRY_AFTER_SECONDS = 10;
export const UNAVAILABLE_MESSAGE = 'The service is briefly unavailable';

function unavailableHeaders(headers?: Headers): Headers {
	const copy = new Headers(headers);
	copy.set('retry-after', String(RETRY_AFTER_SECONDS));
	copy.set('cache-control', 'no-store');
	return copy;
}

/** SvelteKit's error answer (its error page, or a data request's error) as 503 with Retry-After. */
export function asUnavailable(response: Response): Response {
	return new Response(response.body, { status: 503, statusText: 'Service Unavailable', headers: unavailableHeaders(response.headers) });
}

function wantsJson(event: RequestEvent): boolean {
	const accept = event.request.headers.get('accept') ?? '';
	return event.isDataRequest || (accept.includes('application/json') && !accept.includes('text/html'));
}

/**
 * The answer when the database fails before SvelteKit renders anything (reading the session
 * cookie's session, say), where its error page cannot be had: a page of its own, or the error
 * as JSON for the app's own data requests.
 */
export function unavailableResponse(event: RequestEvent, errorId: string): Response {
	if (wantsJson(event)) return json({ message: UNAVAILABLE_MESSAGE, errorId, unavailable: true }, { status: 503, headers: unavailableHeaders() });
	const headers = unavailableHeaders();
	headers.set('content-type', 'text/html; charset=utf-8');
	return new Response(unavailablePage(errorId), { status: 503, statusText: 'Service Unavailable', headers });
}

function unavailablePage(errorId: string): string {
	return `<!doctype html>
<html lang="en-GB">
	<head>
		<meta charset="utf-8" />
		<meta name="viewport" content="width=device-width, initial-scale=1" />
		<title>Sorry, the service is briefly unavailable – Youth Programmes Tracker</title>
	</head>
	<body style="font-family: system-ui, sans-serif; margin: 2rem; max-width: 40rem">
		<main>
			<h1>Sorry, the service is briefly unavailable</h1>
			<p>Try again in a minute. Anything you had not saved has not been saved.</p>
			<p>If this goes on for more than a few minutes, contact the programme team and quote the reference <strong>${errorId}</strong>.</p>
		</main>
	</body>
</html>
`;
}
