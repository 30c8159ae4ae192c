import { isHttpError, isRedirect } from '@sveltejs/kit';
import { log, type Logger } from '../log';

// One log line per request: which route answered, how, and how fast. The route id
// (`/reset-password/[token]`), never the URL, which can carry a one-time link's secret; no user
// name or e-mail address. The request id ties the line to the error lines of the same request
// and, behind nginx, to nginx's own log.

/** What a proxy may send as X-Request-Id (nginx's `$request_id` is 32 hex digits). */
const INCOMING_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** The proxy's request id when it sends a plausible one, else a new one. */
export function requestIdFor(request: Request): string {
	const incoming = request.headers.get('x-request-id');
	return incoming && INCOMING_ID.test(incoming) ? incoming : crypto.randomUUID();
}

/** Health checks come every few seconds from a monitor: logged only at LOG_LEVEL=debug. */
const QUIET_ROUTES = new Set(['/healthz', '/readyz']);

export interface RequestLine {
	requestId: string;
	method: string;
	route: string | null;
	status: number;
	ms: number;
	errorId?: string;
}

export function logRequest(line: RequestLine, logger: Logger = log): void {
	const entry = { ...line, ms: Math.round(line.ms * 10) / 10 };
	if (line.route && QUIET_ROUTES.has(line.route)) logger.debug(entry, 'request');
	else logger.info(entry, 'request');
}

/** The status SvelteKit will answer with for what a handle hook threw. */
export function thrownStatus(thrown: unknown): number {
	if (isRedirect(thrown) || isHttpError(thrown)) return thrown.status;
	return 500;
}
