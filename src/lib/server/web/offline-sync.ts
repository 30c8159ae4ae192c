import { isHttpError, json, type RequestEvent } from '@sveltejs/kit';
import { getDb } from '../db';
import type { Actor } from '../auth/session';
import type { Result } from '../result';
import { isCrossSitePost, refuseCrossSitePost } from './csrf';
import { signedIn } from './respond';

/**
 * Answers a batch of changes sent by a register kept on a device (static/register-offline.js,
 * static/counts-offline.js): the body read as JSON, handed to one service function, and its
 * result as JSON. A JSON post is not a form post, so SvelteKit's origin check (and the hook's)
 * does not cover it: the same check is made here, and a refusal audited the same way.
 */
export async function answerSync<T extends object>(event: RequestEvent, sync: (actor: Actor, body: unknown) => Promise<Result<T>>): Promise<Response> {
	const { request, locals, url } = event;
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
	const result = await sync(actor, body);
	if (result.ok) return json(result);
	if (result.code === 'refused' || result.code === 'conflict') {
		return json({ reason: result.reason, message: result.message }, { status: result.code === 'conflict' ? 409 : 400 });
	}
	return json({ message: 'The changes could not be read' }, { status: 400 });
}
