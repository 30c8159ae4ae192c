import { getDb } from '$lib/server/db';
import { participantCertificateFor } from '$lib/server/awards/awards.service';
import { certificateResponse } from '$lib/server/awards/certificate';
import { idParam } from '$lib/server/web/route-params';
import type { RequestHandler } from './$types';
import { signedIn } from '$lib/server/web/respond';

export const GET: RequestHandler = async ({ locals, params }) =>
	certificateResponse(await participantCertificateFor(getDb(), signedIn(locals), idParam(params.id), idParam(params.groupId), idParam(params.participantId)));
