import { getDb } from '$lib/server/db';
import { syncMeetings } from '$lib/server/mentoring/meeting-day.service';
import { answerSync } from '$lib/server/web/offline-sync';
import { idParam } from '$lib/server/web/route-params';
import type { RequestHandler } from './$types';

// Meetings logged on a device while it had no signal, sent when it is back (static/log-day-offline.js).
export const POST: RequestHandler = async (event) => {
	const id = idParam(event.params.id);
	const cohortId = idParam(event.params.cohortId);
	return answerSync(event, (actor, body) => syncMeetings(getDb(), actor, id, cohortId, body));
};
