import { getDb } from '$lib/server/db';
import { browseAuditLog } from '$lib/server/audit/audit.service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const query = Object.fromEntries(['actor', 'action', 'from', 'to', 'page'].map((k) => [k, url.searchParams.get(k) ?? '']));
	return browseAuditLog(getDb(), locals.user!, query);
};
