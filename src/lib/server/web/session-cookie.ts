import type { Cookies } from '@sveltejs/kit';

// The session cookie belongs to the web layer: services hand out and check session tokens
// (auth/session.ts), and only the request handlers know about cookies.

/** `__Host-` and Secure everywhere except plain http on localhost, where browsers refuse them. */
export function sessionCookieName(url: URL): string {
	return isLocalHttp(url) ? 'session' : '__Host-session';
}

function isLocalHttp(url: URL): boolean {
	return url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '127.0.0.1');
}

export function setSessionCookie(cookies: Cookies, url: URL, token: string): void {
	cookies.set(sessionCookieName(url), token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: !isLocalHttp(url)
	});
}

export function deleteSessionCookie(cookies: Cookies, url: URL): void {
	cookies.delete(sessionCookieName(url), { path: '/', secure: !isLocalHttp(url) });
}

/** The remembered-device cookie: lets this browser skip the second factor's code for its user, for 30 days at most. */
export function rememberedDeviceCookieName(url: URL): string {
	return isLocalHttp(url) ? 'device' : '__Host-device';
}

export function setRememberedDeviceCookie(cookies: Cookies, url: URL, token: string, maxAgeSeconds: number): void {
	cookies.set(rememberedDeviceCookieName(url), token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: !isLocalHttp(url),
		maxAge: maxAgeSeconds
	});
}
