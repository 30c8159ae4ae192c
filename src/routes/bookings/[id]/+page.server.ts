import { getDb } from '$lib/server/db';
import {
	approveOnBehalf,
	bookingFormVersion,
	cancelBooking,
	changePlaces,
	getBooking,
	undoableUntil,
	undoCancelBooking
} from '$lib/server/bookings/bookings.service';
import { basedOnFromForm } from '$lib/server/edit-versions';
import { changeValuesFromForm } from '$lib/server/bookings/bookings.schema';
import { idParam } from '$lib/server/web/route-params';
import type { Actions, PageServerLoad } from './$types';
import { failed, signedIn } from '$lib/server/web/respond';
import { redirectWithNotice } from '$lib/server/web/notice';

export const load: PageServerLoad = async ({ locals, params }) => {
	const booking = await getBooking(getDb(), signedIn(locals), idParam(params.id));
	const now = new Date();
	const closes = signedIn(locals).role === 'school' ? booking.booking_closes_at : booking.starts_at;
	const undoUntil = undoableUntil(booking);
	return {
		booking,
		basedOn: bookingFormVersion(booking),
		changeable: booking.status !== 'cancelled' && booking.session_status === 'scheduled' && now < closes,
		// Offered while it may work; the action checks again that the places are still free.
		undoUntil: undoUntil && now < undoUntil && booking.session_status === 'scheduled' && now < closes ? undoUntil : undefined,
		staff: signedIn(locals).role !== 'school'
	};
};

export const actions: Actions = {
	change: async ({ request, locals, params }) => {
		const form = await request.formData();
		const values = changeValuesFromForm(form);
		const basedOn = basedOnFromForm(form);
		const result = await changePlaces(getDb(), signedIn(locals), idParam(params.id), values.places, new Date(), basedOn);
		if (!result.ok) return failed(result, { ...values, basedOn }, 'places');
		redirectWithNotice(`/bookings/${params.id}`, 'changed');
	},
	approve: async ({ locals, params }) => {
		const result = await approveOnBehalf(getDb(), signedIn(locals), idParam(params.id));
		if (!result.ok) return failed(result, {}, 'approve');
		redirectWithNotice(`/bookings/${params.id}`, 'behalf_approved');
	},
	cancel: async ({ locals, params }) => {
		const result = await cancelBooking(getDb(), signedIn(locals), idParam(params.id));
		if (!result.ok) return failed(result, {}, 'cancel');
		redirectWithNotice(`/bookings/${params.id}`, 'cancelled');
	},
	undo: async ({ locals, params }) => {
		const result = await undoCancelBooking(getDb(), signedIn(locals), idParam(params.id));
		if (!result.ok) return failed(result, {}, 'undo');
		redirectWithNotice(`/bookings/${params.id}`, 'undone');
	}
};
