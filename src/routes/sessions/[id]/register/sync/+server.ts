import { isHttpError, json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { syncMarks } from '$lib/server/attendance/offline-sync.service';
import { isCrossSitePost, refuseCrossSitePost } from '$lib/server/web/csrf';
import { idParam } from '$lib/server/web/route-params';
import { signedIn } from '$lib/server/web/respond';
import type { RequestHandler } from './$types';

// Marks made on a device while it had no signal, sent when it is back (static/register-offline.js).
// A JSON post is not a form post, so SvelteKit's origin check (and the hook's) does not cover
// it: the same check is made here, and a refusal audited the same way.
export const POST: RequestHandler = async (event) => {
	const { request, locals, params, url } = event;
	if (isCrossSitePost(request, url)) return refuseCrossSitePost(getDb(), event);
	const actor = signedIn(locals);
	let body: unknown;
	try {
		body = await request.json();
	} catch (error) {
		// Too big is the body limit's 413; anything else is not JSON, which the service refuses.
		if (isHttpError(error)) throw error;
		body = undefined;
	}
	const result = await syncMarks(getDb(), actor, idParam(params.id), body);
	if (result.ok) return json(result);
	if (result.code === 'refused' || result.code === 'conflict') {
		return json({ reason: result.reason, message: result.message }, { status: result.code === 'conflict' ? 409 : 400 });
	}
	return json({ message: 'The changes could not be read' }, { status: 400 });
};
