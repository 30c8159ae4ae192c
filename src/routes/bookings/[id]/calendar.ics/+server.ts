import { getDb } from '$lib/server/db';
import { bookingCalendar } from '$lib/server/calendar/calendar.service';
import { notFound } from '$lib/server/result';
import { UUID } from '$lib/server/forms';
import type { RequestHandler } from './$types';
import { signedIn } from '$lib/server/web/respond';

export const GET: RequestHandler = async ({ locals, params }) => {
	if (!UUID.test(params.id)) notFound();
	const body = await bookingCalendar(getDb(), signedIn(locals), params.id);
	return new Response(body, {
		headers: {
			'content-type': 'text/calendar; charset=utf-8',
			'content-disposition': 'attachment; filename="booking.ics"'
		}
	});
};
