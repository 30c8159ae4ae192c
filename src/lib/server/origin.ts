/** The app's public address, for links in emails and calendar feeds sent outside a request. */
export function appOrigin(): string {
	return (process.env.ORIGIN || `http://localhost:${process.env.PORT || 3000}`).replace(/\/$/, '');
}
