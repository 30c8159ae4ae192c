import { getDb } from '$lib/server/db';
import { browseAuditLog } from '$lib/server/audit/audit.service';
import { auditQueryFromParams } from '$lib/server/audit/audit.schema';
import type { PageServerLoad } from './$types';
import { signedIn } from '$lib/server/web/respond';

export const load: PageServerLoad = async ({ locals, url }) => {
	return browseAuditLog(getDb(), signedIn(locals), auditQueryFromParams(url.searchParams));
};
