import { getDb } from '$lib/server/db';
import { listTermsFor } from '$lib/server/terms/terms.service';
import { signedIn } from '$lib/server/web/respond';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => ({ terms: await listTermsFor(getDb(), signedIn(locals)) });
