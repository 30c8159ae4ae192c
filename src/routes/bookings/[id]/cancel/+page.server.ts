import { getDb } from '$lib/server/db';
import { previewCancelBooking } from '$lib/server/bookings/bookings.service';
import { idParam } from '$lib/server/web/route-params';
import { signedIn } from '$lib/server/web/respond';
import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

// Asks before a booking is cancelled; the form goes to the booking page's `cancel` action.
export const load: PageServerLoad = async ({ locals, params }) => {
	const preview = await previewCancelBooking(getDb(), signedIn(locals), idParam(params.id));
	if (preview.booking.status === 'cancelled') redirect(303, `/bookings/${params.id}`);
	return preview;
};
