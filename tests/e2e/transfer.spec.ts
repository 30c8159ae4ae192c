import { expect, test } from '@playwright/test';
import { request as httpRequest } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

// What goes over the wire from the built app: its own pages compressed (web/compress.ts), the
// built files precompressed and, under /_app/immutable/, cached for a year (adapter-node).

interface Raw {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: Buffer;
}

/** A GET with exactly these headers, its body as sent (Node's fetch would ask for and undo the compression itself). */
function rawGet(baseURL: string, path: string, headers: Record<string, string>): Promise<Raw> {
	return new Promise((resolve, reject) => {
		const req = httpRequest(new URL(path, baseURL), { headers }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
			res.on('error', reject);
		});
		req.on('error', reject);
		req.end();
	});
}

test('pages come compressed in brotli or gzip as the browser asks, and built files precompressed and cached for a year', async ({ baseURL }) => {
	const br = await rawGet(baseURL!, '/sign-in', { 'accept-encoding': 'gzip, deflate, br' });
	expect(br.status).toBe(200);
	expect(br.headers['content-encoding']).toBe('br');
	expect(br.headers['vary']).toMatch(/Accept-Encoding/i);
	const html = brotliDecompressSync(br.body).toString();
	expect(html).toContain('Sign in');
	expect(br.body.length).toBeLessThan(html.length / 2);
	// Rendered pages carry no ETag: hashing every page served nothing (src/build/drop-page-etag.js).
	expect(br.headers['etag']).toBeUndefined();

	const gzip = await rawGet(baseURL!, '/sign-in', { 'accept-encoding': 'gzip' });
	expect(gzip.headers['content-encoding']).toBe('gzip');
	expect(gunzipSync(gzip.body).toString()).toContain('Sign in');

	const plain = await rawGet(baseURL!, '/sign-in', {});
	expect(plain.headers['content-encoding']).toBeUndefined();
	expect(plain.body.toString()).toContain('Sign in');

	const assets = [...html.matchAll(/\/_app\/immutable\/[^"']+\.js/g)].map((m) => m[0]);
	expect(assets.length).toBeGreaterThan(0);
	for (const asset of new Set(assets)) {
		const built = await rawGet(baseURL!, asset, { 'accept-encoding': 'gzip, br' });
		expect(built.status, asset).toBe(200);
		expect(built.headers['cache-control'], asset).toBe('public,max-age=31536000,immutable');
		// Files under 1 KB are not precompressed at build time.
		if (built.headers['content-encoding'] === undefined) expect(built.body.length, asset).toBeLessThan(1024);
		else expect(built.headers['content-encoding'], asset).toBe('br');
	}
});
