import { getDb } from '$lib/server/db';
import { listManagedProgrammes } from '$lib/server/programmes/programmes.service';
import type { PageServerLoad } from './$types';
import { signedIn } from '$lib/server/web/respond';

export const load: PageServerLoad = async ({ locals }) => {
	return {
		programmes: await listManagedProgrammes(getDb(), signedIn(locals)),
		canCreate: signedIn(locals).role === 'admin'
	};
};
