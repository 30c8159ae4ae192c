import { getDb } from '$lib/server/db';
import { participantCertificateFor } from '$lib/server/awards/awards.service';
import { idParam } from '$lib/server/route-params';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, params }) => {
	const { bytes, fileName } = await participantCertificateFor(
		getDb(),
		locals.user!,
		idParam(params.id),
		idParam(params.groupId),
		idParam(params.participantId)
	);
	return new Response(bytes as Uint8Array<ArrayBuffer>, {
		headers: {
			'content-type': 'application/pdf',
			// A file to keep and print, not a page: every browser saves it, under the name given.
			'content-disposition': `attachment; filename="${fileName}"`,
			'cache-control': 'private, no-store'
		}
	});
};
