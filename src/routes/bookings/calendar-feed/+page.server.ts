import { getDb } from '$lib/server/db';
import { createFeedLink, getFeedStatus, revokeFeed } from '$lib/server/calendar/calendar.service';
import type { Actions, PageServerLoad } from './$types';
import { signedIn } from '$lib/server/web/respond';
import { redirectWithNotice } from '$lib/server/web/notice';

export const load: PageServerLoad = async ({ locals }) => {
	const feed = await getFeedStatus(getDb(), signedIn(locals));
	return { exists: feed.exists, createdAt: feed.createdAt };
};

export const actions: Actions = {
	// Answers with the page itself rather than a redirect: the new address is shown this once.
	create: async ({ locals }) => {
		return { feedUrl: await createFeedLink(getDb(), signedIn(locals)) };
	},
	// Stopping a link someone else has just stopped is no error: either way it no longer works.
	revoke: async ({ locals }) => {
		await revokeFeed(getDb(), signedIn(locals));
		redirectWithNotice('/bookings/calendar-feed', 'revoked');
	}
};
