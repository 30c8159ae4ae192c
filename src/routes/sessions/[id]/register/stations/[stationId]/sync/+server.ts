import { getDb } from '$lib/server/db';
import { syncStationCounts } from '$lib/server/attendance/offline-counts.service';
import { answerSync } from '$lib/server/web/offline-sync';
import { idParam } from '$lib/server/web/route-params';
import type { RequestHandler } from './$types';

// A workstation's counts made on a device while it had no signal, sent when it is back (static/counts-offline.js).
export const POST: RequestHandler = async (event) => {
	const id = idParam(event.params.id);
	const stationId = idParam(event.params.stationId);
	return answerSync(event, (actor, body) => syncStationCounts(getDb(), actor, id, stationId, body));
};
