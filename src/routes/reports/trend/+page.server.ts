import { getDb } from '$lib/server/db';
import { trendPage } from '$lib/server/reports/reports.service';
import type { PageServerLoad } from './$types';
import { signedIn } from '$lib/server/web/respond';
import { serverRendered } from '$lib/server-rendered';

// Rendered on the server only, with one script of its own that draws the charts
// ($lib/charts/report-page.ts): its choices are a GET form and the rest is links, so hydrating
// it only cost SvelteKit's runtime (see that script).
export const csr = false;

export const load: PageServerLoad = async ({ locals, url }) => serverRendered(await trendPage(getDb(), signedIn(locals), url.searchParams));
