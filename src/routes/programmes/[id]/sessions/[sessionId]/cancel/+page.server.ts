import { getDb } from '$lib/server/db';
import { previewCancelSession } from '$lib/server/sessions/sessions.service';
import { idParam } from '$lib/server/web/route-params';
import { signedIn } from '$lib/server/web/respond';
import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

// Asks before a session is cancelled; the form goes to the edit page's `cancel` action.
export const load: PageServerLoad = async ({ locals, params }) => {
	const preview = await previewCancelSession(getDb(), signedIn(locals), idParam(params.id), idParam(params.sessionId));
	if (preview.session.status !== 'scheduled') redirect(303, `/sessions/${params.sessionId}`);
	return preview;
};
