import { getDb } from '$lib/server/db';
import { readOutbox } from '$lib/server/email/outbox.service';
import type { PageServerLoad } from './$types';
import { signedIn } from '$lib/server/web/respond';
import { pageFromParam } from '$lib/server/paging';

export const load: PageServerLoad = async ({ locals, url }) => readOutbox(getDb(), signedIn(locals), pageFromParam(url.searchParams.get('page')));
