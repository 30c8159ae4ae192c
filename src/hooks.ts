import type { Transport } from '@sveltejs/kit';
import { isServerRendered } from '$lib/server-rendered';

export const transport: Transport = {
	// Load data of pages rendered on the server only (see $lib/server-rendered.ts) is not written
	// into the page: no script there would read it.
	ServerRendered: {
		encode: (value) => isServerRendered(value) && 1,
		decode: () => {
			throw new Error('This page is rendered on the server only: its data is not sent to the browser');
		}
	}
};
