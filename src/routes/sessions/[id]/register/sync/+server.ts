import { getDb } from '$lib/server/db';
import { syncMarks } from '$lib/server/attendance/offline-sync.service';
import { answerSync } from '$lib/server/web/offline-sync';
import { idParam } from '$lib/server/web/route-params';
import type { RequestHandler } from './$types';

// Marks made on a device while it had no signal, sent when it is back (static/register-offline.js).
export const POST: RequestHandler = async (event) => {
	const id = idParam(event.params.id);
	return answerSync(event, (actor, body) => syncMarks(getDb(), actor, id, body));
};
