import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { bookingCalendar } from '$lib/server/calendar/calendar.service';
import { idParam } from '$lib/server/web/route-params';
import type { RequestHandler } from './$types';
import { signedIn } from '$lib/server/web/respond';

export const GET: RequestHandler = async ({ locals, params }) => {
	const result = await bookingCalendar(getDb(), signedIn(locals), idParam(params.id));
	// Nothing to put in a calendar: the same 404 as ever, saying why.
	if (!result.ok) error(404, result.code === 'refused' ? result.message : 'Page not found');
	return new Response(result.ics, {
		headers: {
			'content-type': 'text/calendar; charset=utf-8',
			'content-disposition': 'attachment; filename="booking.ics"'
		}
	});
};
