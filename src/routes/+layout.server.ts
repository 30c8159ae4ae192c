import { takeNotice } from '$lib/server/web/notice';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals, cookies, url }) => {
	const user = locals.user;
	// Read on every page load, client-side navigations included (the address is a dependency),
	// so a notice is shown on the page after its change and gone from the one after.
	void url.href;
	return { user: user && { name: user.name, email: user.email, role: user.role }, notice: takeNotice(cookies, url) };
};
