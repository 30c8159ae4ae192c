import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { getStationManifest } from '$lib/server/attendance/offline-counts.service';
import { idParam } from '$lib/server/web/route-params';
import { signedIn } from '$lib/server/web/respond';
import type { RequestHandler } from './$types';

// A workstation's register as a device keeps it for a day without signal (static/counts-offline.js).
export const GET: RequestHandler = async ({ locals, params }) => {
	return json(await getStationManifest(getDb(), signedIn(locals), idParam(params.id), idParam(params.stationId)));
};
