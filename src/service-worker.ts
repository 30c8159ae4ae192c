/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { build, files, version } from '$service-worker';

// Registered by the offline scripts only (svelte.config.js turns SvelteKit's own registration
// off): when there is no connection, it serves the pages a lead chose to keep on the device: a
// named register (/register-offline.js), a workstation's register and the day's registers kept in
// one go from Today (/counts-offline.js, /day-offline.js), and a mentoring cohort's or an award
// group's day page (/log-day-offline.js). Nothing else is taken over: every other request goes to
// the network as if it were not here.
//
// Two caches. `shell-<version>`: the styles, fonts and static scripts those pages need, none of
// them personal. `registers`: the pages kept on this device, put there and removed after 7 days
// by the scripts' shared store (/offline-store.js); signing out clears both (Clear-Site-Data on
// the sign-out response).

const sw = self as unknown as ServiceWorkerGlobalScope;
const SHELL = `shell-${version}`;
const REGISTERS = 'registers';
const shellFiles = [...build.filter((file) => /\.(css|woff2?)$/.test(file)), ...files.filter((file) => /\.(js|svg|css)$/.test(file))];
const shellSet = new Set(shellFiles);
const REGISTER_PAGE = /^\/sessions\/[0-9a-f-]{36}\/register\/?$/i;
// A workstation's register, and the day's registers a lead keeps in one go (/counts-offline.js, /day-offline.js).
const COUNTS_PAGE = /^\/sessions\/(today|[0-9a-f-]{36}\/register\/stations\/[0-9a-f-]{36})\/?$/i;
// A mentoring cohort's or an award group's day page, to log meetings and award days (/log-day-offline.js).
const DAY_LOG_PAGE = /^\/programmes\/[0-9a-f-]{36}\/(mentoring\/cohorts|awards)\/[0-9a-f-]{36}\/day\/?$/i;

sw.addEventListener('install', (event) => {
	event.waitUntil(
		caches
			.open(SHELL)
			.then((cache) => cache.addAll(shellFiles))
			.then(() => sw.skipWaiting())
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		caches
			.keys()
			.then((keys) => Promise.all(keys.filter((key) => key.startsWith('shell-') && key !== SHELL).map((key) => caches.delete(key))))
			.then(() => sw.clients.claim())
	);
});

/** The network's answer, or when there is none, what the cache kept under that address. */
async function networkThenCache(request: Request, cacheName: string, key: string): Promise<Response> {
	try {
		return await fetch(request);
	} catch (error) {
		const kept = await (await caches.open(cacheName)).match(key);
		if (kept) return kept;
		throw error;
	}
}

sw.addEventListener('fetch', (event) => {
	const { request } = event;
	if (request.method !== 'GET') return;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin) return;
	if (request.mode === 'navigate' && [REGISTER_PAGE, COUNTS_PAGE, DAY_LOG_PAGE].some((page) => page.test(url.pathname))) {
		event.respondWith(networkThenCache(request, REGISTERS, url.pathname.replace(/\/$/, '')));
	} else if (shellSet.has(url.pathname)) {
		event.respondWith(networkThenCache(request, SHELL, url.pathname));
	}
});
