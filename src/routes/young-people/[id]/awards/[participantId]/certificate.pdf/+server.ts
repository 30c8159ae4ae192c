import { getDb } from '$lib/server/db';
import { ownPupilCertificateFor } from '$lib/server/awards/awards.service';
import type { RequestHandler } from './$types';

/** A school contact's copy of their pupil's John Muir Award certificate. */
export const GET: RequestHandler = async ({ locals, params }) => {
	const { bytes, fileName } = await ownPupilCertificateFor(getDb(), locals.user!, params.id, params.participantId);
	return new Response(bytes as Uint8Array<ArrayBuffer>, {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': `attachment; filename="${fileName}"`,
			'cache-control': 'private, no-store'
		}
	});
};
