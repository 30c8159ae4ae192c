import { brotliDecompressSync, createBrotliDecompress, createGunzip, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { chooseEncoding, compressResponse, IN_PLACE_MAX_BYTES, MIN_COMPRESS_BYTES, WHOLE_MAX_BYTES } from '../../../src/lib/server/web/compress';

// The app's own answers compressed (src/lib/server/web/compress.ts); the built files are
// adapter-node's, checked against the built app in tests/e2e/transfer.spec.ts.

const page = `<!doctype html><html><body>${'<tr><td>County School</td><td>12</td></tr>'.repeat(200)}</body></html>`;

function get(acceptEncoding?: string, method = 'GET'): Request {
	return new Request('http://localhost/reports/schools', { method, headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} });
}

function html(body: BodyInit | null = page, headers: Record<string, string> = {}): Response {
	return new Response(body, { status: 200, headers: { 'content-type': 'text/html', ...headers } });
}

describe('chooseEncoding', () => {
	it('prefers brotli, then gzip, and honours q=0', () => {
		expect(chooseEncoding('gzip, deflate, br, zstd')).toBe('br');
		expect(chooseEncoding('gzip, deflate')).toBe('gzip');
		expect(chooseEncoding('br;q=0, gzip;q=0.5')).toBe('gzip');
		expect(chooseEncoding('*')).toBe('br');
		expect(chooseEncoding('*, br;q=0')).toBe('gzip');
		expect(chooseEncoding('identity')).toBeNull();
		expect(chooseEncoding(null)).toBeNull();
	});
});

describe('compressResponse', () => {
	it('answers in brotli or gzip what decompresses to the same page, with Vary and the length it was sent in', async () => {
		// Compressed in place, and (larger) on libuv's threads.
		const larger = page.repeat(Math.ceil((IN_PLACE_MAX_BYTES * 1.5) / page.length));
		expect(page.length).toBeLessThan(IN_PLACE_MAX_BYTES);
		for (const [accept, decompress, sent] of [
			['gzip, br', brotliDecompressSync, page],
			['gzip', gunzipSync, page],
			['gzip, br', brotliDecompressSync, larger],
			['gzip', gunzipSync, larger]
		] as const) {
			const response = await compressResponse(get(accept), html(sent, { 'content-length': String(sent.length), 'x-request-id': 'r1' }));
			expect(response.headers.get('content-encoding')).toBe(accept === 'gzip' ? 'gzip' : 'br');
			expect(response.headers.get('vary')).toBe('Accept-Encoding');
			expect(response.headers.get('x-request-id')).toBe('r1');
			const body = Buffer.from(await response.arrayBuffer());
			// Compressed whole (its length was known): sent with the compressed length, in one piece.
			expect(response.headers.get('content-length')).toBe(String(body.length));
			expect(body.length).toBeLessThan(sent.length / 10);
			expect(decompress(body).toString()).toBe(sent);
		}
	});

	it('streams a body of unknown length, or one too large to hold twice, without a length', async () => {
		const large = 'x'.repeat(WHOLE_MAX_BYTES + 1);
		for (const [body, headers] of [
			[page, {}],
			[large, { 'content-length': String(large.length) }]
		] as const) {
			const streamed = new ReadableStream<Uint8Array>({
				start(controller) {
					controller.enqueue(new TextEncoder().encode(body));
					controller.close();
				}
			});
			const response = await compressResponse(get('br'), html(streamed, headers));
			expect(response.headers.get('content-encoding')).toBe('br');
			expect(response.headers.get('content-length')).toBeNull();
			expect(brotliDecompressSync(Buffer.from(await response.arrayBuffer())).toString()).toBe(body);
		}
	});

	it('compresses JSON and CSV, not PDFs, small bodies, HEAD, redirects or what is already encoded', async () => {
		const json = JSON.stringify({ rows: Array.from({ length: 200 }, (_, i) => ({ school: `School ${i}`, reached: i })) });
		expect((await compressResponse(get('br'), new Response(json, { headers: { 'content-type': 'application/json' } }))).headers.get('content-encoding')).toBe(
			'br'
		);
		expect((await compressResponse(get('br'), html(page, { 'content-type': 'text/csv; charset=utf-8' }))).headers.get('content-encoding')).toBe('br');
		const untouched = await Promise.all([
			compressResponse(get('br'), html(page, { 'content-type': 'application/pdf' })),
			compressResponse(get('br'), html('small', { 'content-length': String(MIN_COMPRESS_BYTES - 1) })),
			compressResponse(get('br', 'HEAD'), html()),
			compressResponse(get('br'), new Response(null, { status: 303, headers: { location: '/' } })),
			compressResponse(get('br'), html(page, { 'content-encoding': 'gzip' })),
			compressResponse(get('br'), html(page, { 'cache-control': 'no-transform' })),
			compressResponse(get(), html()),
			compressResponse(get('identity'), html())
		]);
		expect(untouched.map((r) => r.headers.get('content-encoding'))).toEqual([null, null, null, null, 'gzip', null, null, null]);
		// The client that takes neither still gets Vary, so a shared cache does not serve it a compressed copy.
		expect(untouched[6]!.headers.get('vary')).toBe('Accept-Encoding');
	});

	it('sends each chunk of a streamed page as it comes, not at the end', async () => {
		for (const accept of ['br', 'gzip'] as const) {
			let push!: (text: string) => void;
			let end!: () => void;
			const body = new ReadableStream<Uint8Array>({
				start(controller) {
					push = (text) => controller.enqueue(new TextEncoder().encode(text));
					end = () => controller.close();
				}
			});
			const reader = (await compressResponse(get(accept), html(body))).body!.getReader();
			const inflate = accept === 'br' ? createBrotliDecompress() : createGunzip();
			let text = '';
			inflate.on('data', (chunk: Buffer) => (text += chunk.toString()));
			const readUntil = async (wanted: string) => {
				// Hangs (and the test times out) if the page waits for the end of the stream.
				while (text !== wanted) {
					const chunk = await reader.read();
					expect(chunk.done).toBe(false);
					await new Promise((resolve) => inflate.write(chunk.value, resolve));
					await new Promise((resolve) => setImmediate(resolve));
				}
			};
			push(page);
			await readUntil(page);
			push('<p>later</p>');
			await readUntil(`${page}<p>later</p>`);
			end();
			// What follows is the stream's end (gzip's trailer), nothing more of the page.
			for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) inflate.write(chunk.value);
			await new Promise((resolve) => inflate.end(resolve));
			expect(text).toBe(`${page}<p>later</p>`);
		}
	}, 10_000);
});

describe('a client that goes away mid-answer', () => {
	it('cancels the compression without an error escaping (which would end the process)', async () => {
		const escaped: unknown[] = [];
		const onError = (error: unknown) => escaped.push(error);
		process.on('uncaughtException', onError);
		try {
			for (const accept of ['br', 'gzip']) {
				let push!: (text: string) => void;
				const body = new ReadableStream<Uint8Array>({
					start(controller) {
						push = (text) => controller.enqueue(new TextEncoder().encode(text));
					}
				});
				const reader = (await compressResponse(get(accept), html(body))).body!.getReader();
				push(page);
				await reader.read();
				// The browser closes the connection: the answer's stream is cancelled while more comes.
				await reader.cancel();
				push(page);
				await new Promise((resolve) => setTimeout(resolve, 200));
			}
			expect(escaped).toEqual([]);
		} finally {
			process.off('uncaughtException', onError);
		}
	});
});
