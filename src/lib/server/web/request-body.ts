import { error, isHttpError, type RequestEvent } from '@sveltejs/kit';
import type { Socket } from 'node:net';

/**
 * How much of a request's body the app reads. A form is small: 64 KB holds the longest notes
 * anyone types many times over. The two imports take a file of up to 2 MB (and their confirm
 * step sends its text back, as multipart so it is not URL-encoded to three times its size), so
 * they read up to 2 MB more than the rest of their form. adapter-node's BODY_SIZE_LIMIT is the
 * same for every route, so it is set to the largest (src/cli/start.js, deploy/youth-tracker.env.example).
 */
export const FORM_BODY_LIMIT = 64 * 1024;
export const UPLOAD_FILE_LIMIT = 2 * 1024 * 1024;
export const UPLOAD_BODY_LIMIT = UPLOAD_FILE_LIMIT + FORM_BODY_LIMIT;
const UPLOAD_ROUTES = new Set(['/young-people/import', '/schools/import']);

export const FORM_TOO_BIG = 'The form is too big. Shorten what you typed and try again.';
export const FILE_TOO_BIG = 'The file is too big. Choose a file smaller than 2 MB.';

/** What a request to this route may send, and what the person is told when it sends more. */
export function bodyLimitFor(routeId: string | null): { bytes: number; message: string } {
	return routeId !== null && UPLOAD_ROUTES.has(routeId)
		? { bytes: UPLOAD_BODY_LIMIT, message: FILE_TOO_BIG }
		: { bytes: FORM_BODY_LIMIT, message: FORM_TOO_BIG };
}

const MALFORMED_FORM = 'The form could not be read. Go back and try again.';
const NUL_IN_FORM = 'The form has a character in it that is not allowed. Go back, check what you typed and try again.';

/** SvelteKit's 413 or 400 as a value, to reject a body with (error() throws it). */
function httpError(status: number, message: string): unknown {
	try {
		error(status, message);
	} catch (thrown) {
		return thrown;
	}
}

/**
 * Puts a limit on the body of this request before anything reads it. A Content-Length over the
 * limit is refused without reading a byte; a body without one (chunked) is read through a
 * counter that stops at the limit. Either way the route's `request.formData()` rejects with a 413
 * error, which SvelteKit shows as the error page with its message. A form that cannot be parsed
 * (malformed multipart, say) or carries a NUL character, which PostgreSQL cannot store, is a 400.
 */
export function limitRequestBody(event: RequestEvent): void {
	const { request } = event;
	if (request.method === 'GET' || request.method === 'HEAD' || !request.body) return;
	const limit = bodyLimitFor(event.route.id);
	const tooBig = httpError(413, limit.message);
	const declared = Number(request.headers.get('content-length') ?? NaN);
	let body: ReadableStream<Uint8Array>;
	if (Number.isFinite(declared) && declared > limit.bytes) {
		// Nothing is read: the unread body is left for Node to discard, and the connection closed.
		body = new ReadableStream({ start: (controller) => controller.error(tooBig) });
	} else {
		const reader = request.body.getReader();
		let seen = 0;
		body = new ReadableStream<Uint8Array>({
			async pull(controller) {
				const { done, value } = await reader.read();
				if (done) return controller.close();
				seen += value.byteLength;
				if (seen > limit.bytes) {
					// Not cancelled: cancelling the body ends the connection before the answer is sent.
					reader.releaseLock();
					return controller.error(tooBig);
				}
				controller.enqueue(value);
			},
			cancel: (reason) => reader.cancel(reason)
		});
	}
	const limited = new Request(request.url, { method: request.method, headers: request.headers, body, duplex: 'half' } as RequestInit);
	const parse = limited.formData.bind(limited);
	limited.formData = async () => {
		let form: FormData;
		try {
			form = await parse();
		} catch (thrown) {
			if (isHttpError(thrown)) throw thrown;
			error(400, MALFORMED_FORM);
		}
		for (const [, value] of form) if (typeof value === 'string' && value.includes('\0')) error(400, NUL_IN_FORM);
		return form;
	};
	event.request = limited;
}

/** Whether a body's size already shows it is over its route's limit (answered without reading it). */
export function declaredTooBig(event: RequestEvent): boolean {
	const declared = Number(event.request.headers.get('content-length') ?? NaN);
	return Number.isFinite(declared) && declared > bodyLimitFor(event.route.id).bytes;
}

/** How long a connection whose body was refused unread goes on taking (and dropping) what the client sends, after the answer. */
export const LINGER_MS = 2000;

/**
 * Ends a connection whose body was refused unread as nginx's lingering close does: the answer
 * goes and the sending side is shut, then what the client is still sending is read and dropped
 * (Node's parser reads the rest of the refused body and discards it) until the client closes or
 * LINGER_MS pass. Node's own close for `Connection: close` destroys the socket as soon as the
 * answer is written, with the client's bytes unread, so the kernel sends a reset, which can
 * reach the client before it reads the answer: it then saw a broken connection instead of the
 * "too big" page (seven to nine times in 40, six 10 MB posts at once, edges.spec.ts).
 */
export function lingerOnClose(socket: Socket | undefined): void {
	if (!socket) return;
	socket.destroySoon = function lingeringClose(this: Socket) {
		if (this.writable) this.end();
		const timer = setTimeout(() => this.destroy(), LINGER_MS);
		timer.unref();
		this.once('end', () => this.destroy());
		this.once('close', () => clearTimeout(timer));
	};
}

/** Whether an address has a NUL character, or a percent sign that starts no character, in its path or query. */
export function unreadableAddress(url: URL): boolean {
	try {
		return decodeURIComponent(url.pathname + url.search).includes('\0');
	} catch {
		return true;
	}
}
