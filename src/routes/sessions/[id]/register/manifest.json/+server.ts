import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { getRegisterManifest } from '$lib/server/attendance/offline-sync.service';
import { idParam } from '$lib/server/web/route-params';
import { signedIn } from '$lib/server/web/respond';
import type { RequestHandler } from './$types';

// The named register as a device keeps it for a day without signal (static/register-offline.js).
export const GET: RequestHandler = async ({ locals, params }) => {
	return json(await getRegisterManifest(getDb(), signedIn(locals), idParam(params.id)));
};
