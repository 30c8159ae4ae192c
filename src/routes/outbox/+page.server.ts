import { getDb } from '$lib/server/db';
import { readOutbox } from '$lib/server/email/outbox.service';
import { pageNumber } from '$lib/server/forms';
import type { PageServerLoad } from './$types';
import { signedIn } from '$lib/server/web/respond';

export const load: PageServerLoad = async ({ locals, url }) => readOutbox(getDb(), signedIn(locals), pageNumber(url.searchParams.get('page')));
