import { getDb } from '$lib/server/db';
import { readOutbox } from '$lib/server/email/outbox.service';
import { pageFromParam } from '$lib/server/paging';
import type { PageServerLoad } from './$types';
import { signedIn } from '$lib/server/web/respond';

// `?status=failed` shows only the emails the sender gave up on (the dashboard links there).
export const load: PageServerLoad = async ({ locals, url }) =>
	readOutbox(getDb(), signedIn(locals), pageFromParam(url.searchParams.get('page')), url.searchParams.get('status') === 'failed' ? 'failed' : undefined);
