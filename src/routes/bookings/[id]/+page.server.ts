import { fail, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { cancelBooking, changePlaces, getBooking } from '$lib/server/bookings/bookings.service';
import { field } from '$lib/server/forms';
import { idParam } from '$lib/server/web/route-params';
import type { Actions, PageServerLoad } from './$types';
import { signedIn } from '$lib/server/web/respond';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const booking = await getBooking(getDb(), signedIn(locals), idParam(params.id));
	const now = new Date();
	const closes = signedIn(locals).role === 'school' ? booking.booking_closes_at : booking.starts_at;
	return {
		booking,
		changeable: booking.status !== 'cancelled' && booking.session_status === 'scheduled' && now < closes,
		notice: url.searchParams.get('notice')
	};
};

export const actions: Actions = {
	change: async ({ request, locals, params }) => {
		const places = field(await request.formData(), 'places');
		const result = await changePlaces(getDb(), signedIn(locals), idParam(params.id), places);
		if (!result.ok) return fail(400, { places, errors: result.errors });
		redirect(303, `/bookings/${params.id}?notice=changed`);
	},
	cancel: async ({ locals, params }) => {
		const result = await cancelBooking(getDb(), signedIn(locals), idParam(params.id));
		if (!result.ok) return fail(400, { errors: result.errors });
		redirect(303, `/bookings/${params.id}?notice=cancelled`);
	}
};
