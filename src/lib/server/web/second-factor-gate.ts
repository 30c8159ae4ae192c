import { redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actor, SessionUser } from '../auth/session';

/** The one page a half-signed-in session may reach, by what it still lacks. */
export const SECOND_FACTOR_PAGES = { code: '/sign-in/code', set_up: '/sign-in/set-up' } as const;

/**
 * Called by hooks once the session is read. A session whose second factor is outstanding
 * (the password was right, the code not yet given; or the role requires a second factor and
 * none is set up) is not signed in: it answers null for `locals.user`, keeps the user in
 * `locals.pendingSignIn` for that one page, and sends any other page to it.
 */
export function holdUntilSecondFactor(event: RequestEvent, user: SessionUser): Actor | null {
	const { secondFactor, ...actor } = user;
	const withAddress = { ...actor, address: event.getClientAddress() };
	event.locals.pendingSignIn = null;
	if (!secondFactor) return withAddress;
	event.locals.pendingSignIn = { ...withAddress, secondFactor };
	const page = SECOND_FACTOR_PAGES[secondFactor];
	if (event.route.id !== page) redirect(303, page);
	return null;
}
