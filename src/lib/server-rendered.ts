// SvelteKit writes each page's load data into the page (devalue), for the browser to hydrate
// from, even where the page sets `csr = false` and nothing in the browser reads it. On a county's
// by-school page (600 schools by a dozen figures) that was about a quarter of the server's time
// per request. A page rendered on the server only marks its data here; the transport hook
// (src/hooks.ts) then writes a placeholder in its place. The server renders the page from the
// data itself, untouched.

const SERVER_RENDERED = Symbol('server-rendered');

/** `data`, marked as read by the server's render only (a page with `csr = false`). */
export function serverRendered<T extends object>(data: T): T {
	Object.defineProperty(data, SERVER_RENDERED, { value: true });
	return data;
}

export function isServerRendered(value: unknown): boolean {
	return typeof value === 'object' && value !== null && SERVER_RENDERED in value;
}
