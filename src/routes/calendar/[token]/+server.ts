import { getDb } from '$lib/server/db';
import { feedCalendar } from '$lib/server/calendar/calendar.service';
import type { RequestHandler } from './$types';

// A school's private calendar feed, fetched by calendar apps without signing in: the secret in
// the address is the credential. Public in hooks.server.ts; never cached anywhere.
export const GET: RequestHandler = async ({ params }) => {
	const token = params.token.replace(/\.ics$/, '');
	const body = await feedCalendar(getDb(), token);
	if (body === undefined) {
		return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
	}
	return new Response(body, {
		headers: {
			'content-type': 'text/calendar; charset=utf-8',
			'content-disposition': 'inline; filename="bookings.ics"',
			'cache-control': 'no-store'
		}
	});
};
