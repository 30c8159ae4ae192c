import { getDb } from '$lib/server/db';
import { requireRole } from '$lib/server/auth/access';
import { listProgrammes } from '$lib/server/programmes/programmes.service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	await requireRole(getDb(), locals.user!, ['admin', 'lead'], { entityType: 'programme' });
	return {
		programmes: await listProgrammes(getDb(), locals.user!),
		canCreate: locals.user!.role === 'admin',
		notice: url.searchParams.get('notice')
	};
};
