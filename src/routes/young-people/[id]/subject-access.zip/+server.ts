import { getDb } from '$lib/server/db';
import { fileResponse } from '$lib/server/exports/file';
import { subjectAccessExport } from '$lib/server/subject-access/subject-access.service';
import { idParam } from '$lib/server/web/route-params';
import type { RequestHandler } from './$types';
import { signedIn } from '$lib/server/web/respond';

/** Everything held about a young person (a subject access request), as a ZIP. */
export const GET: RequestHandler = async ({ locals, params }) => fileResponse((await subjectAccessExport(getDb(), signedIn(locals), idParam(params.id))).file);
