import { getDb } from '$lib/server/db';
import { listSessionStations, saveStations, stationsFormVersion } from '$lib/server/sessions/carousel.service';
import { basedOnFromForm } from '$lib/server/edit-versions';
import { DEFAULT_ROTATION_MINUTES, MAX_STATIONS, stationValuesFromForm } from '$lib/server/sessions/sessions.schema';
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
		basedOn: await stationsFormVersion(getDb(), session),
		rows: Array.from({ length: MAX_STATIONS }, (_, i) => ({
			name: stations[i]?.name ?? '',
			theme: stations[i]?.theme ?? '',
			places: stations[i] ? String(stations[i].places) : ''
		})),
		rotationMinutes: String(session.rotation_minutes ?? DEFAULT_ROTATION_MINUTES)
	};
};

export const actions: Actions = {
	default: async ({ request, locals, params }) => {
		const form = await request.formData();
		const values = stationValuesFromForm(form);
		const basedOn = basedOnFromForm(form);
		const result = await saveStations(getDb(), signedIn(locals), idParam(params.id), idParam(params.sessionId), values.rows, values.rotationMinutes, basedOn);
		if (!result.ok) return failed(result, { ...values, basedOn }, 'stations');
		redirectWithNotice(`/sessions/${params.sessionId}/timetable`, 'saved');
	}
};
