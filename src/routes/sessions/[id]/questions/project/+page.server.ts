import { getDb } from '$lib/server/db';
import { getProjectedSessionCode } from '$lib/server/outcomes/outcomes.service';
import { sessionCodeAddress, sessionCodeQrSvg } from '$lib/server/outcomes/session-code-qr';
import { idParam } from '$lib/server/web/route-params';
import { signedIn } from '$lib/server/web/respond';
import type { PageServerLoad } from './$types';

// The session code in large type for a projector: the short address, the code, and a QR code
// that opens the form with the code filled in.

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const { session, openCode } = await getProjectedSessionCode(getDb(), signedIn(locals), idParam(params.id));
	const address = openCode ? sessionCodeAddress(url.origin, openCode.code) : undefined;
	return {
		session,
		shortAddress: `${url.host}/q`,
		code: openCode ? { code: openCode.code, expiresAt: openCode.expires_at, address: address!, qr: await sessionCodeQrSvg(address!) } : undefined
	};
};
