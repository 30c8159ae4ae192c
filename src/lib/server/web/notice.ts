import { getRequestEvent } from '$app/server';
import { redirect, type Cookies } from '@sveltejs/kit';

// A success banner ("Changes saved.") is the server's own word, never the address's: an action
// that succeeded leaves a short-lived cookie and redirects, and the next page load takes it
// (src/routes/+layout.server.ts) and shows it once. Text in `?notice=` is ignored, so a link
// cannot make the service say something it did not.

const NOTICE_COOKIE = 'notice';

/** Redirects after a change, leaving `notice` (a page's key for its banner, or the banner's text) for the next page. */
export function redirectWithNotice(location: string, notice: string): never {
	const { cookies, url } = getRequestEvent();
	cookies.set(NOTICE_COOKIE, notice, { path: '/', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:', maxAge: 60 });
	redirect(303, location);
}

/** The notice left by the last change, if any: taken, so it is shown once. */
export function takeNotice(cookies: Cookies, url: URL): string | null {
	const notice = cookies.get(NOTICE_COOKIE) ?? null;
	if (notice !== null) cookies.delete(NOTICE_COOKIE, { path: '/', secure: url.protocol === 'https:' });
	return notice;
}
