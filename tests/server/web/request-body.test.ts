import type { RequestEvent } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { FORM_BODY_LIMIT, LINGER_MS, limitRequestBody, lingerOnClose, unreadableAddress } from '../../../src/lib/server/web/request-body';

const MB = 1024 * 1024;

/** A body of `bytes` in 64 KB chunks that counts how much of it was read. */
function countingBody(bytes: number) {
	const chunk = new Uint8Array(64 * 1024).fill(97);
	const read = { bytes: 0 };
	const stream = new ReadableStream<Uint8Array>({
		pull(controller) {
			if (read.bytes >= bytes) return controller.close();
			const part = chunk.subarray(0, Math.min(chunk.length, bytes - read.bytes));
			read.bytes += part.length;
			controller.enqueue(part);
		}
	});
	return { stream, read };
}

function postEvent(routeId: string, body: BodyInit | ReadableStream<Uint8Array>, headers: Record<string, string>): RequestEvent {
	const url = new URL(`http://localhost${routeId}`);
	const request = new Request(url, { method: 'POST', body, headers, duplex: 'half' } as RequestInit);
	return { request, url, route: { id: routeId } } as unknown as RequestEvent;
}

const form = { 'content-type': 'application/x-www-form-urlencoded' };

describe('a form post over its limit', () => {
	it('is refused with 413 from its Content-Length without a byte being read', async () => {
		const body = countingBody(10 * MB);
		const event = postEvent('/sign-in', body.stream, { ...form, 'content-length': String(10 * MB) });
		limitRequestBody(event);
		await expect(event.request.formData()).rejects.toMatchObject({ status: 413, body: { message: expect.stringMatching(/^The form is too big/) } });
		expect(body.read.bytes).toBeLessThanOrEqual(64 * 1024);
	});

	it('sent without a Content-Length (chunked), is read only up to its limit', async () => {
		const body = countingBody(10 * MB);
		const event = postEvent('/sign-in', body.stream, form);
		limitRequestBody(event);
		await expect(event.request.formData()).rejects.toMatchObject({ status: 413 });
		expect(body.read.bytes).toBeLessThan(FORM_BODY_LIMIT + 3 * 64 * 1024);
	});

	it('to an import, is refused beyond 2 MB with "The file is too big"', async () => {
		const event = postEvent('/schools/import', countingBody(3 * MB).stream, form);
		limitRequestBody(event);
		await expect(event.request.formData()).rejects.toMatchObject({ status: 413, body: { message: expect.stringMatching(/^The file is too big/) } });
	});
});

describe('a form post within its limit', () => {
	it('is read as it was sent', async () => {
		const event = postEvent('/sign-in', 'email=a%40b.org&password=x', form);
		limitRequestBody(event);
		expect(Object.fromEntries(await event.request.formData())).toEqual({ email: 'a@b.org', password: 'x' });
	});

	it('to an import, takes a 1.5 MB file', async () => {
		const upload = new FormData();
		upload.set('file', new File(['a,b\n'.repeat((1.5 * MB) / 4)], 'class.csv', { type: 'text/csv' }));
		const encoded = new Response(upload);
		const event = postEvent('/young-people/import', await encoded.arrayBuffer(), { 'content-type': encoded.headers.get('content-type')! });
		limitRequestBody(event);
		const file = (await event.request.formData()).get('file') as File;
		expect(file.size).toBe(1.5 * MB);
	});
});

describe('a form that cannot be stored or read', () => {
	it('is a 400 when its multipart body is malformed', async () => {
		const event = postEvent('/sign-in', '--x\r\nnot a part', { 'content-type': 'multipart/form-data; boundary=x' });
		limitRequestBody(event);
		await expect(event.request.formData()).rejects.toMatchObject({ status: 400 });
	});

	it('is a 400 when a field holds a NUL character', async () => {
		const event = postEvent('/sign-in', 'email=a%00b', form);
		limitRequestBody(event);
		await expect(event.request.formData()).rejects.toMatchObject({ status: 400 });
	});
});

describe('an address', () => {
	it('with a NUL character or a stray percent sign cannot be read', () => {
		expect(unreadableAddress(new URL('http://localhost/schools/%00'))).toBe(true);
		expect(unreadableAddress(new URL('http://localhost/audit?action=%00'))).toBe(true);
		expect(unreadableAddress(new URL('http://localhost/audit?action=%E0%A4%A'))).toBe(true);
		expect(unreadableAddress(new URL('http://localhost/young-people?search=O%27Brien'))).toBe(false);
	});
});

describe('a connection whose body was refused unread', () => {
	/** A server socket with the lingering close, its client still sending, and when each saw what. */
	async function connection() {
		const { createServer, connect } = await import('node:net');
		let accept: (socket: import('node:net').Socket) => void = () => {};
		const accepted = new Promise<import('node:net').Socket>((resolve) => (accept = resolve));
		const server = createServer({ allowHalfOpen: true }, (socket) => accept(socket));
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		// Half open, as a client uploading a body goes on sending after the answer's end.
		const client = connect({ port: (server.address() as import('node:net').AddressInfo).port, host: '127.0.0.1', allowHalfOpen: true });
		const socket = await accepted;
		socket.resume();
		let received = '';
		client.on('data', (chunk) => (received += chunk));
		client.on('error', () => {});
		const sending = setInterval(() => client.writable && client.write(Buffer.alloc(64 * 1024)), 5);
		const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(performance.now())));
		const clientEnded = new Promise<void>((resolve) => client.once('end', resolve));
		lingerOnClose(socket);
		return {
			socket,
			client,
			closed,
			clientEnded,
			received: () => received,
			done: () => {
				clearInterval(sending);
				client.destroy();
				server.close();
			}
		};
	}

	it('sends the answer and shuts its side, then takes what the client sends until the client closes', async () => {
		const c = await connection();
		c.socket.write('HTTP/1.1 413 Payload Too Large\r\n\r\nThe form is too big');
		const asked = performance.now();
		c.socket.destroySoon();
		await c.clientEnded;
		// The answer arrived whole, and the socket is still open while the client sends.
		expect(c.received()).toContain('The form is too big');
		await new Promise((r) => setTimeout(r, 200));
		expect(c.socket.destroyed).toBe(false);
		c.client.end();
		expect((await c.closed) - asked).toBeLessThan(LINGER_MS);
		c.done();
	});

	it('goes after LINGER_MS when the client never stops sending', async () => {
		const c = await connection();
		const asked = performance.now();
		c.socket.destroySoon();
		const closedAfter = (await c.closed) - asked;
		expect(closedAfter).toBeGreaterThanOrEqual(LINGER_MS - 50);
		expect(closedAfter).toBeLessThan(LINGER_MS + 1000);
		c.done();
	});
});
