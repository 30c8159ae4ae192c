import { getDb } from '$lib/server/db';
import { ownPupilCertificateFor } from '$lib/server/awards/awards.service';
import { certificateResponse } from '$lib/server/awards/certificate';
import type { RequestHandler } from './$types';

/** A school contact's copy of their pupil's John Muir Award certificate. */
export const GET: RequestHandler = async ({ locals, params }) =>
	certificateResponse(await ownPupilCertificateFor(getDb(), locals.user!, params.id, params.participantId));
