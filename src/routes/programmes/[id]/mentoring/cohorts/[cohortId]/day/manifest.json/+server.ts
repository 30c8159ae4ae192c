import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { getMeetingDayManifest } from '$lib/server/mentoring/meeting-day.service';
import { idParam } from '$lib/server/web/route-params';
import { signedIn } from '$lib/server/web/respond';
import type { RequestHandler } from './$types';

// A cohort's pairs as a device keeps them for a day without signal (static/log-day-offline.js).
export const GET: RequestHandler = async ({ locals, params }) => {
	return json(await getMeetingDayManifest(getDb(), signedIn(locals), idParam(params.id), idParam(params.cohortId)));
};
