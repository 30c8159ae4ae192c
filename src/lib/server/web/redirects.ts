/** Only a path on this site may follow sign-in: never another site, and never a protocol-relative URL. */
export function safeRedirectTarget(value: string | null): string {
	if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/dashboard';
	return value;
}
