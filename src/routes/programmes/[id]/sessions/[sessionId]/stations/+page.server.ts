import { getDb } from '$lib/server/db';
import { listSessionStations, saveStations } from '$lib/server/sessions/carousel.service';
import { MAX_STATIONS, stationValuesFromForm } from '$lib/server/sessions/sessions.schema';
import { getManagedSession } from '$lib/server/sessions/sessions.service';
import { idParam } from '$lib/server/web/route-params';
import type { Actions, PageServerLoad } from './$types';
import { failed, signedIn } from '$lib/server/web/respond';
import { redirectWithNotice } from '$lib/server/web/notice';

export const load: PageServerLoad = async ({ locals, params }) => {
	const programmeId = idParam(params.id);
	const sessionId = idParam(params.sessionId);
	const session = await getManagedSession(getDb(), signedIn(locals), programmeId, sessionId);
	const stations = await listSessionStations(getDb(), signedIn(locals), programmeId, sessionId);
	return {
		session,
		rows: Array.from({ length: MAX_STATIONS }, (_, i) => ({
			name: stations[i]?.name ?? '',
			theme: stations[i]?.theme ?? '',
			places: stations[i] ? String(stations[i].places) : ''
		})),
		rotationMinutes: String(session.rotation_minutes ?? 20)
	};
};

export const actions: Actions = {
	default: async ({ request, locals, params }) => {
		const values = stationValuesFromForm(await request.formData());
		const result = await saveStations(getDb(), signedIn(locals), idParam(params.id), idParam(params.sessionId), values.rows, values.rotationMinutes);
		if (!result.ok) return failed(result, values, 'stations');
		redirectWithNotice(`/sessions/${params.sessionId}/timetable`, 'saved');
	}
};
