import { getDb } from '$lib/server/db';
import { readOutbox } from '$lib/server/email/outbox.service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) =>
	readOutbox(getDb(), locals.user!, Math.max(1, Number.parseInt(url.searchParams.get('page') ?? '', 10) || 1));
