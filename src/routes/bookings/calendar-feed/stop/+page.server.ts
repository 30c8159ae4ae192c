import { getDb } from '$lib/server/db';
import { getFeedStatus } from '$lib/server/calendar/calendar.service';
import { signedIn } from '$lib/server/web/respond';
import type { PageServerLoad } from './$types';

// Asks before the school's calendar link is stopped; the form goes to the feed page's `revoke` action.
export const load: PageServerLoad = async ({ locals }) => {
	const feed = await getFeedStatus(getDb(), signedIn(locals));
	return { exists: feed.exists, createdAt: feed.createdAt };
};
