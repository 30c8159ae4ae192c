import { getDb } from '$lib/server/db';
import { groupCertificateFor } from '$lib/server/awards/awards.service';
import { certificateResponse } from '$lib/server/awards/certificate';
import { idParam } from '$lib/server/route-params';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, params }) =>
	certificateResponse(await groupCertificateFor(getDb(), locals.user!, idParam(params.id), idParam(params.groupId)));
