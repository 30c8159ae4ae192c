import { getDb } from '$lib/server/db';
import { decideRequest, listSessionBookings } from '$lib/server/bookings/bookings.service';
import { canManageProgramme } from '$lib/server/programmes/programmes.service';
import { getSession } from '$lib/server/sessions/sessions.service';
import { field } from '$lib/server/forms';
import { idParam } from '$lib/server/web/route-params';
import type { Actions, PageServerLoad } from './$types';
import { failed, signedIn } from '$lib/server/web/respond';
import { redirectWithNotice } from '$lib/server/web/notice';

export const load: PageServerLoad = async ({ locals, params }) => {
	const session = await getSession(getDb(), signedIn(locals), idParam(params.id));
	const now = new Date();
	return {
		session,
		bookings: await listSessionBookings(getDb(), signedIn(locals), session.id, session.programme_id),
		canManage: await canManageProgramme(getDb(), signedIn(locals), session.programme_id),
		bookable: session.status === 'scheduled' && now >= session.booking_opens_at && now < session.booking_closes_at,
		started: now >= session.starts_at
	};
};

async function decide({ request, locals, params }: Parameters<Actions[string]>[0], approve: boolean) {
	const bookingId = idParam(field(await request.formData(), 'bookingId'));
	const result = await decideRequest(getDb(), signedIn(locals), bookingId, approve, idParam(params.id));
	if (!result.ok) return failed(result, undefined, 'decision');
	redirectWithNotice(`/sessions/${params.id}`, approve ? 'approved' : 'declined');
}

export const actions: Actions = {
	approve: (event) => decide(event, true),
	decline: (event) => decide(event, false)
};
