import { getDb } from '$lib/server/db';
import { requireRole } from '$lib/server/auth/access';
import { listProgrammes } from '$lib/server/programmes/programmes.service';
import type { PageServerLoad } from './$types';
import { signedIn } from '$lib/server/web/respond';

export const load: PageServerLoad = async ({ locals }) => {
	await requireRole(getDb(), signedIn(locals), ['admin', 'lead'], { entityType: 'programme' });
	return {
		programmes: await listProgrammes(getDb(), signedIn(locals)),
		canCreate: signedIn(locals).role === 'admin'
	};
};
