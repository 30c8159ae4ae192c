import { getDb } from '$lib/server/db';
import { bookPlaces, notBookable } from '$lib/server/bookings/bookings.service';
import { bookingValuesFromForm } from '$lib/server/bookings/bookings.schema';
import { getBookableSession } from '$lib/server/sessions/sessions.service';
import { getSchool, listSchools } from '$lib/server/schools/schools.service';
import { canManageProgramme } from '$lib/server/programmes/programmes.service';
import { bookingApprovedAsMade } from '$lib/server/auth/policy';
import { idParam } from '$lib/server/web/route-params';
import { phaseYearGroups } from '$lib/year-groups';
import type { Actions, PageServerLoad } from './$types';
import { failed, signedIn } from '$lib/server/web/respond';
import { redirectWithNotice } from '$lib/server/web/notice';

export const load: PageServerLoad = async ({ locals, params }) => {
	const actor = signedIn(locals);
	const session = await getBookableSession(getDb(), actor, idParam(params.id));
	const onBehalf = actor.role !== 'school' && (await canManageProgramme(getDb(), actor, session.programme_id));
	const schools = onBehalf ? (await listSchools(getDb(), actor, {})).filter((s) => session.year_groups.some((g) => phaseYearGroups[s.phase].includes(g))) : [];
	const ownSchool = actor.role === 'school' ? await getSchool(getDb(), actor, actor.schoolId!) : undefined;
	return {
		session,
		// Said before the form is filled in, rather than on sending it.
		closed: notBookable(session, actor.role === 'school', new Date())?.message,
		onBehalf,
		approvedAsMade: bookingApprovedAsMade(actor),
		schools: schools.map((s) => ({ id: s.id, name: s.name })),
		yearGroups: ownSchool ? session.year_groups.filter((g) => phaseYearGroups[ownSchool.phase].includes(g)) : session.year_groups,
		schoolName: ownSchool?.name,
		contactName: actor.role === 'school' ? actor.name : '',
		// One key per form: pressing "Book" twice, or sending the form again, makes one booking.
		idempotencyKey: crypto.randomUUID()
	};
};

export const actions: Actions = {
	default: async ({ request, locals, params }) => {
		const values = bookingValuesFromForm(await request.formData());
		// Offered part of the places, the school chose not to book: nothing to do but say so.
		if (values.partial === 'none') {
			await getBookableSession(getDb(), signedIn(locals), idParam(params.id));
			redirectWithNotice(`/sessions/${params.id}`, 'not_booked');
		}
		const result = await bookPlaces(getDb(), signedIn(locals), idParam(params.id), values);
		if (!result.ok) return failed(result, values);
		redirectWithNotice(`/bookings/${result.bookingId}`, result.status);
	}
};
