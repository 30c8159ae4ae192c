import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { getAwardDayManifest } from '$lib/server/awards/award-day.service';
import { idParam } from '$lib/server/web/route-params';
import { signedIn } from '$lib/server/web/respond';
import type { RequestHandler } from './$types';

// An award group, with its days and their versions, as a device keeps it for a day without signal (static/log-day-offline.js).
export const GET: RequestHandler = async ({ locals, params }) => {
	return json(await getAwardDayManifest(getDb(), signedIn(locals), idParam(params.id), idParam(params.groupId)));
};
