import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { readiness } from '$lib/server/health/health';
import type { RequestHandler } from './$types';

// Ready to serve: the database answers and has every migration this build expects. 503 until
// then, so a load balancer sends requests to the other app process meanwhile.
export const GET: RequestHandler = async () => {
	const state = await readiness(getDb);
	return json({ status: state.ready ? 'ready' : 'unavailable', ...state }, { status: state.ready ? 200 : 503, headers: { 'cache-control': 'no-store' } });
};
