import type { RequestEvent } from '@sveltejs/kit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handle, handleError } from '../../../src/hooks.server';
import { log } from '../../../src/lib/server/log';
import { GET as healthz } from '../../../src/routes/healthz/+server';
import { GET as readyz } from '../../../src/routes/readyz/+server';

// The real thing (PostgreSQL ending the app's connections under load) is in
// tests/e2e/database-faults.spec.ts; here the hooks meet a fake request and a fake failure.

function fakeEvent(routeId: string | null, path = '/reset-password/secret-token-value', headers: Record<string, string> = {}): RequestEvent {
	const url = new URL(`http://localhost${path}`);
	return {
		request: new Request(url, { headers }),
		url,
		route: { id: routeId },
		params: {},
		locals: {},
		isDataRequest: false,
		cookies: { get: () => undefined, delete: () => {} },
		getClientAddress: () => '127.0.0.1'
	} as unknown as RequestEvent;
}

/** What SvelteKit does when a load throws: asks handleError, then renders the error page with 500. */
function failingLoad(error: unknown) {
	return async (event: RequestEvent) => {
		const body = await handleError({ error, event, status: 500, message: 'Internal Error' });
		return new Response(JSON.stringify(body), { status: 500, headers: { 'content-type': 'application/json' } });
	};
}

const terminated = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });

// The log, silenced and read: each test looks at what its request wrote.
let info: ReturnType<typeof vi.spyOn>;
let warn: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
	info = vi.spyOn(log, 'info').mockImplementation(() => {});
	warn = vi.spyOn(log, 'warn').mockImplementation(() => {});
	vi.spyOn(log, 'error').mockImplementation(() => {});
});
afterEach(() => {
	vi.restoreAllMocks();
});

describe('a request whose database went away', () => {
	it('is answered 503 with Retry-After and a "briefly unavailable" message, not 500', async () => {
		const response = await handle({ event: fakeEvent('/reset-password/[token]'), resolve: failingLoad(terminated) });
		expect(response.status).toBe(503);
		expect(response.headers.get('retry-after')).toBe('10');
		const body = await response.json();
		expect(body).toMatchObject({ message: 'The service is briefly unavailable', unavailable: true });
		expect(body.errorId).toMatch(/^[0-9a-f-]{36}$/);
	});

	it('leaves any other error a 500 with the usual apology', async () => {
		const response = await handle({ event: fakeEvent('/reset-password/[token]'), resolve: failingLoad(new TypeError('a mistake in the app')) });
		expect(response.status).toBe(500);
		expect(response.headers.get('retry-after')).toBeNull();
		expect(await response.json()).toMatchObject({ message: 'Sorry, there is a problem with the service' });
	});
});

describe('the request log', () => {
	it('writes one line per request with its id, method, route id, status and duration, and never the URL', async () => {
		const response = await handle({
			event: fakeEvent('/reset-password/[token]', '/reset-password/secret-token-value', { 'x-request-id': 'nginx-0123456789abcdef' }),
			resolve: async () => new Response('the page')
		});
		expect(response.headers.get('x-request-id')).toBe('nginx-0123456789abcdef');
		expect(info).toHaveBeenCalledTimes(1);
		const [line, message] = info.mock.calls[0] as unknown as [Record<string, unknown>, string];
		expect(message).toBe('request');
		expect(line).toMatchObject({ requestId: 'nginx-0123456789abcdef', method: 'GET', route: '/reset-password/[token]', status: 200 });
		expect(typeof line.ms).toBe('number');
		expect(JSON.stringify(line)).not.toContain('secret-token-value');
	});

	it('ties a failed request to its error by the error id', async () => {
		await handle({ event: fakeEvent('/reset-password/[token]'), resolve: failingLoad(terminated) });
		const [line] = info.mock.calls[0] as unknown as [Record<string, unknown>];
		const [warning] = warn.mock.calls[0] as unknown as [Record<string, unknown>];
		expect(line).toMatchObject({ status: 503 });
		expect(line.errorId).toBe(warning.errorId);
		expect(line.requestId).toBe(warning.requestId);
		expect(JSON.stringify(warning)).not.toContain('secret-token-value');
	});

	it('tells browsers to keep to https when the public address is https, and only then', async () => {
		const ok = async () => new Response('ok');
		vi.stubEnv('ORIGIN', 'https://tracker.example.org');
		const secure = await handle({ event: fakeEvent('/accessibility', '/accessibility'), resolve: ok });
		expect(secure.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
		vi.stubEnv('ORIGIN', 'http://localhost:3000');
		const plain = await handle({ event: fakeEvent('/accessibility', '/accessibility'), resolve: ok });
		expect(plain.headers.get('strict-transport-security')).toBeNull();
		vi.unstubAllEnvs();
	});

	it('makes its own request id when a proxy sends none, or one that is not plausible', async () => {
		const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
		const none = await handle({ event: fakeEvent('/sign-in', '/sign-in'), resolve: async () => new Response('') });
		expect(none.headers.get('x-request-id')).toMatch(uuid);
		const odd = await handle({
			event: fakeEvent('/sign-in', '/sign-in', { 'x-request-id': 'an id with spaces {"level":"fatal"}' }),
			resolve: async () => new Response('')
		});
		expect(odd.headers.get('x-request-id')).toMatch(uuid);
	});
});

describe('the health checks', () => {
	it('says the process is up without asking the database', async () => {
		const response = await healthz({} as Parameters<typeof healthz>[0]);
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({ status: 'ok' });
	});

	it('says not ready, with 503, while there is no database', async () => {
		const response = await readyz({} as Parameters<typeof readyz>[0]);
		expect(response.status).toBe(503);
		expect(await response.json()).toEqual({ status: 'unavailable', ready: false, database: 'unreachable', migrations: 'unknown' });
	});
});
