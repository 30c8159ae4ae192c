import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { getHeadcountManifest } from '$lib/server/attendance/offline-counts.service';
import { idParam } from '$lib/server/web/route-params';
import { signedIn } from '$lib/server/web/respond';
import type { RequestHandler } from './$types';

// A headcount register as a device keeps it for a day without signal (static/counts-offline.js).
export const GET: RequestHandler = async ({ locals, params }) => {
	return json(await getHeadcountManifest(getDb(), signedIn(locals), idParam(params.id)));
};
