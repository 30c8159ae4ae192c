import { getDb } from '$lib/server/db';
import { syncAwardDays } from '$lib/server/awards/award-day.service';
import { answerSync } from '$lib/server/web/offline-sync';
import { idParam } from '$lib/server/web/route-params';
import type { RequestHandler } from './$types';

// Award days logged on a device while it had no signal, sent when it is back (static/log-day-offline.js).
export const POST: RequestHandler = async (event) => {
	const id = idParam(event.params.id);
	const groupId = idParam(event.params.groupId);
	return answerSync(event, (actor, body) => syncAwardDays(getDb(), actor, id, groupId, body));
};
