// When the database goes away (a restart, a failover, `pg_terminate_backend`), the requests in
// flight fail. Those failures are not the app's fault and go away by themselves: they are
// answered with 503 and "try again", and told apart here from every other error.

/** No connection to the database could be had: the request can be tried again shortly. */
export class DatabaseUnavailableError extends Error {
	constructor(cause: unknown) {
		super(`The database could not be reached: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
		this.name = 'DatabaseUnavailableError';
	}
}

/**
 * SQLSTATE codes that mean the connection, not the statement, failed (class 08, connection
 * exception, is matched as a class): 57P01 admin_shutdown (`pg_terminate_backend`, a fast
 * shutdown), 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up, shutting down, in
 * recovery), 53300 too_many_connections.
 */
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
/** Node's network errors on the socket to the database. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** What the pg client says when the socket closes under it, and what pg-pool says after waiting in vain. */
const MESSAGES = [/^Connection terminated/, /has encountered a connection error and is not queryable/, /^timeout exceeded when trying to connect/];

function isUnavailableItself(error: object): boolean {
	if (error instanceof DatabaseUnavailableError) return true;
	const { code, message } = error as { code?: unknown; message?: unknown };
	if (typeof code === 'string') {
		if (/^[0-9A-Z]{5}$/.test(code) && (code.startsWith('08') || SQLSTATES.has(code))) return true;
		if (NETWORK_CODES.has(code)) return true;
	}
	return typeof message === 'string' && MESSAGES.some((pattern) => pattern.test(message));
}

/** True when the error, or an error it wraps, means the database could not be reached. */
export function isDatabaseUnavailable(error: unknown): boolean {
	let current = error;
	for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
		if (isUnavailableItself(current)) return true;
		current = (current as { cause?: unknown }).cause;
	}
	return false;
}

/**
 * What went wrong, in the driver's own words, for the log: the error in the chain that means the
 * database went away (or what stopped a connection being had), so every such line reads alike
 * ("read ECONNRESET", "terminating connection due to administrator command"), with its code.
 */
export function unavailableReason(error: unknown): { sqlstate?: string; reason: string } {
	let current = error;
	for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
		const found = current instanceof DatabaseUnavailableError ? current.cause : isUnavailableItself(current) ? current : undefined;
		if (typeof found === 'object' && found !== null) {
			const { code, message } = found as { code?: unknown; message?: unknown };
			return { ...(typeof code === 'string' ? { sqlstate: code } : {}), reason: String(message) };
		}
		current = (current as { cause?: unknown }).cause;
	}
	return { reason: error instanceof Error ? error.message : String(error) };
}
