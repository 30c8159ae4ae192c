import { json, text, type RequestEvent } from '@sveltejs/kit';
import { insertAuditEvent } from '../audit/audit.queries';
import type { Db } from '../db';

// SvelteKit's own check, done here instead (svelte.config.js turns SvelteKit's off) so that a
// refusal is audited: a form post (the content types a cross-site HTML form can send) from
// another origin, or with none, is refused with SvelteKit's 403 and its words.

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain', 'application/x-sveltekit-formdata'];
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Whether a request is a form post from another site, as SvelteKit's csrf.checkOrigin judges it. */
export function isCrossSiteFormPost(request: Request, url: URL): boolean {
	const type = request.headers.get('content-type')?.split(';', 1)[0]?.trim().toLowerCase() ?? '';
	return UNSAFE.has(request.method) && FORM_TYPES.includes(type) && request.headers.get('origin') !== url.origin;
}

/**
 * Whether a request that changes something came from another origin, or says none, whatever it
 * sends: for the JSON endpoints, which SvelteKit's check (form posts only) does not cover. A
 * page's own fetch() always sends its Origin with a POST.
 */
export function isCrossSitePost(request: Request, url: URL): boolean {
	return UNSAFE.has(request.method) && request.headers.get('origin') !== url.origin;
}

/** Audits a refused cross-site form post and answers it as SvelteKit would. */
export async function refuseCrossSitePost(db: Db, event: RequestEvent): Promise<Response> {
	const origin = event.request.headers.get('origin');
	await insertAuditEvent(db, {
		actorId: event.locals.user?.id ?? null,
		action: 'csrf.refused',
		// The route's id and whether an Origin came: never the text of the request's headers.
		detail: { route: event.route.id, method: event.request.method, origin: origin === null ? 'none' : 'other' },
		address: event.getClientAddress()
	});
	const message = `Cross-site ${event.request.method} form submissions are forbidden`;
	return event.request.headers.get('accept') === 'application/json' ? json({ message }, { status: 403 }) : text(message, { status: 403 });
}
