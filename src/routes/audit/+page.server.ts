import { getDb } from '$lib/server/db';
import { browseAuditLog } from '$lib/server/audit/audit.service';
import type { PageServerLoad } from './$types';
import { signedIn } from '$lib/server/web/respond';

export const load: PageServerLoad = async ({ locals, url }) => {
	const query = Object.fromEntries(['actor', 'action', 'from', 'to', 'page'].map((k) => [k, url.searchParams.get(k) ?? '']));
	return browseAuditLog(getDb(), signedIn(locals), query);
};
