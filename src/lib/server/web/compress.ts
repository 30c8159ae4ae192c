import { promisify } from 'node:util';
import {
	brotliCompress,
	brotliCompressSync,
	constants,
	createBrotliCompress,
	createGzip,
	gzip,
	gzipSync,
	type BrotliCompress,
	type BrotliOptions,
	type Gzip,
	type ZlibOptions
} from 'node:zlib';

// Compressed answers for the app's own responses (pages, __data.json, downloads in text). The
// built files under /_app/ never get here: adapter-node serves them itself, precompressed at
// build time (svelte.config.js `precompress`) and, under /_app/immutable/, cached for a year.
//
// Brotli when the browser accepts it, else gzip. A body of known length (every page SvelteKit
// renders whole, a CSV, JSON) is compressed in one call (in place up to 64 KB, larger on
// libuv's threads) and sent with its length in one write; one of unknown length (a page
// SvelteKit streams) is compressed chunk by chunk, each flushed as it comes, so it still
// arrives piece by piece.
//
// This runs on every page, on a server of two cores, so the fast end of each encoder: brotli at
// quality 2 with a 256 KB window, gzip at level 1 (nginx's default). Against brotli 4 and gzip 6,
// measured on the county's pages (issue 15): the 360 KB by-school page took 0.76 ms in brotli
// (was 1.58) for 33.6 KB (was 30.9), and 1.15 ms in gzip (was 2.18) for 51.6 KB (was 44.7);
// the 24 KB district overview 0.07 ms in brotli (was 0.15) and 0.05 ms in gzip (was 0.18), for
// 5.1 and 5.3 KB (were 4.7 and 4.8). Either holds far less memory per answer than brotli's
// defaults (quality 11, a 4 MB window).
//
// On the main thread (bodies up to 64 KB, below), brotli at quality 1. Quality 2's encoder
// prepares a larger table for each call: on the 28 KB district overview it touched about 50
// fresh pages of memory a call (quality 1 about one), slow to come on this virtual machine.
// Sampled under load on the county data (issue 15), the overview took 0.22 ms of the main
// thread at quality 2 and 0.12 ms at quality 1, a bare 5.6 KB page 0.06 and 0.045 ms, for
// 6.1 KB instead of 5.5 and 2.5 KB instead of 2.4. On libuv's threads quality 2 stays: the
// 360 KB by-school page is smaller there (33.5 KB, not 38.8) and took no longer (1.4 ms, not 1.7).

/** Bodies smaller than this are sent as they are: compressing them saves less than it costs. */
export const MIN_COMPRESS_BYTES = 1024;

const COMPRESSIBLE = /^(text\/|application\/(json|javascript|xml|manifest\+json)|image\/svg\+xml)/;

export type Encoding = 'br' | 'gzip';

/** The encoding to answer in for this Accept-Encoding header: br before gzip, neither if refused (q=0). */
export function chooseEncoding(acceptEncoding: string | null): Encoding | null {
	if (!acceptEncoding) return null;
	const accepted = new Map<string, number>();
	for (const part of acceptEncoding.toLowerCase().split(',')) {
		const [name, ...params] = part.trim().split(';');
		const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)).find(Boolean);
		accepted.set(name!.trim(), q ? Number(q[1]) : 1);
	}
	const wants = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
	if (wants('br')) return 'br';
	if (wants('gzip')) return 'gzip';
	return null;
}

/** Bodies of known length up to this are compressed in one call; larger ones stream, so they are never all held twice. */
export const WHOLE_MAX_BYTES = 2 * 1024 * 1024;

/**
 * Bodies up to this are compressed on the main thread, larger ones on libuv's threads. Handing
 * a body over is not free on a server of two cores: the main thread's share of it (sampled under
 * load on the county data, issue 15) was 0.19 ms a request for the 24 KB district overview,
 * about what compressing it in place took there (0.26 ms), and then a thread compresses it and
 * wakes the main thread again. Since the encoders' fast levels (above), in place costs less in
 * all up to about 64 KB; the 360 KB by-school page (0.76 ms) still goes to the threads. In five
 * paired load runs with the limit at 64 KB rather than 16 KB, the computed overview used
 * 0.2-1.0 ms less of the server's CPU (all threads) a request, and answered 49% of a bare page's
 * requests per second instead of 45%.
 */
export const IN_PLACE_MAX_BYTES = 64 * 1024;

const BROTLI: BrotliOptions = { params: { [constants.BROTLI_PARAM_QUALITY]: 2, [constants.BROTLI_PARAM_LGWIN]: 18 } };
const BROTLI_IN_PLACE: BrotliOptions = { params: { [constants.BROTLI_PARAM_QUALITY]: 1, [constants.BROTLI_PARAM_LGWIN]: 18 } };
const GZIP: ZlibOptions = { level: 1 };
const brotliWhole = promisify<Uint8Array, BrotliOptions, Buffer>(brotliCompress);
const gzipWhole = promisify<Uint8Array, ZlibOptions, Buffer>(gzip);

/** A body of known length in one call: in place up to IN_PLACE_MAX_BYTES, larger on libuv's threads. */
async function compressWhole(body: Uint8Array, encoding: Encoding): Promise<Buffer> {
	if (body.byteLength <= IN_PLACE_MAX_BYTES) return encoding === 'br' ? brotliCompressSync(body, BROTLI_IN_PLACE) : gzipSync(body, GZIP);
	return encoding === 'br' ? brotliWhole(body, BROTLI) : gzipWhole(body, GZIP);
}

function compressor(encoding: Encoding): BrotliCompress | Gzip {
	return encoding === 'br' ? createBrotliCompress(BROTLI) : createGzip(GZIP);
}

/** A stream that compresses each chunk and flushes it, so nothing waits for the next chunk. */
function compressing(encoding: Encoding): TransformStream<Uint8Array, Uint8Array> {
	const zlib = compressor(encoding);
	const flushKind = encoding === 'br' ? constants.BROTLI_OPERATION_FLUSH : constants.Z_SYNC_FLUSH;
	return new TransformStream<Uint8Array, Uint8Array>({
		start(controller) {
			// A client that goes away mid-answer cancels the stream; zlib may still have output on
			// its way, which then goes nowhere (enqueueing into a cancelled stream throws, and an
			// exception in an event handler would end the process).
			zlib.on('data', (chunk: Buffer) => {
				try {
					controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
				} catch {
					zlib.destroy();
				}
			});
			zlib.on('error', (error) => {
				try {
					controller.error(error);
				} catch {
					// Already cancelled or closed.
				}
			});
		},
		transform(chunk) {
			return new Promise<void>((resolve) => {
				zlib.write(chunk);
				zlib.flush(flushKind, () => resolve());
			});
		},
		flush() {
			return new Promise<void>((resolve) => {
				zlib.once('end', () => resolve());
				zlib.end();
			});
		}
	});
}

/**
 * The response compressed for this request, or the same response when it should not be: no
 * body, a HEAD, a status without content, already encoded, a type that does not compress (PDFs,
 * workbooks and images already are), smaller than MIN_COMPRESS_BYTES, or a client that takes
 * neither encoding. Whatever compresses says `Vary: Accept-Encoding`, so a cache keeps both.
 */
export async function compressResponse(request: Request, response: Response): Promise<Response> {
	if (!response.body || request.method === 'HEAD' || response.status === 204 || response.status === 304) return response;
	const type = response.headers.get('content-type') ?? '';
	if (!COMPRESSIBLE.test(type) || response.headers.has('content-encoding')) return response;
	if (/no-transform/.test(response.headers.get('cache-control') ?? '')) return response;
	const length = response.headers.get('content-length');
	if (length !== null && Number(length) < MIN_COMPRESS_BYTES) return response;
	response.headers.append('vary', 'Accept-Encoding');
	const encoding = chooseEncoding(request.headers.get('accept-encoding'));
	if (!encoding) return response;
	const headers = new Headers(response.headers);
	headers.set('content-encoding', encoding);
	const init = { status: response.status, statusText: response.statusText, headers };
	if (length !== null && Number(length) <= WHOLE_MAX_BYTES) {
		const whole = new Uint8Array(await response.arrayBuffer());
		const compressed = await compressWhole(whole, encoding);
		headers.set('content-length', String(compressed.byteLength));
		return new Response(new Uint8Array(compressed.buffer as ArrayBuffer, compressed.byteOffset, compressed.byteLength), init);
	}
	headers.delete('content-length');
	return new Response(response.body.pipeThrough(compressing(encoding)), init);
}
