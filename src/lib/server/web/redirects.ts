const HOME = '/dashboard';
// A base no real address shares: a target that resolves anywhere else is another site.
const BASE = 'http://this-site.invalid';

/**
 * Where sign-in may send someone: only a path on this site. The target is resolved the way a
 * browser would, so a tab or newline (which browsers strip, turning `/%09/evil.example` into
 * `//evil.example`), a backslash (read as a slash) or any other way to name another site goes
 * to the dashboard instead; so does anything with a control character, which could also break
 * the Location header.
 */
export function safeRedirectTarget(value: string | null): string {
	if (!value || !value.startsWith('/') || /[\\\p{Cc}]/u.test(value)) return HOME;
	let target: URL;
	try {
		target = new URL(value, BASE);
	} catch {
		return HOME;
	}
	if (target.origin !== BASE) return HOME;
	return target.pathname + target.search + target.hash;
}
