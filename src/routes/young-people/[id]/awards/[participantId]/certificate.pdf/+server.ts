import { getDb } from '$lib/server/db';
import { ownPupilCertificateFor } from '$lib/server/awards/awards.service';
import { certificateResponse } from '$lib/server/awards/certificate';
import { idParam } from '$lib/server/web/route-params';
import type { RequestHandler } from './$types';
import { signedIn } from '$lib/server/web/respond';

/** A school contact's copy of their pupil's John Muir Award certificate. */
export const GET: RequestHandler = async ({ locals, params }) =>
	certificateResponse(await ownPupilCertificateFor(getDb(), signedIn(locals), idParam(params.id), idParam(params.participantId)));
