import { getDb } from '$lib/server/db';
import { readOutbox } from '$lib/server/email/outbox.service';
import type { PageServerLoad } from './$types';
import { signedIn } from '$lib/server/web/respond';

export const load: PageServerLoad = async ({ locals, url }) =>
	readOutbox(getDb(), signedIn(locals), Math.max(1, Number.parseInt(url.searchParams.get('page') ?? '', 10) || 1));
