// @ts-check
// What the registers kept on this device share (issue 12): the IndexedDB database `registers`
// that /register-offline.js made (the kept registers by key, the queue of changes by client
// id, indexed by key), the page cache `registers` the service worker serves from, and the
// 7-day lifetime. A named register is kept under its session id, as /register-offline.js keeps
// it; a headcount or workstation register under its page's path, with `path`, `kind` and
// `title` beside its cells. Used by /counts-offline.js and /day-offline.js; signing out clears
// all of it (Clear-Site-Data).
(function () {
	if (!('indexedDB' in window) || !('caches' in window)) return;
	const KEEP_FOR_MS = 7 * 86_400_000;
	const PAGES = 'registers';

	/** @type {Promise<IDBDatabase> | undefined} */
	let opened;
	/** The database at whatever version it is; made as /register-offline.js makes it when there is none yet. */
	function database() {
		opened ??= new Promise((resolve, reject) => {
			const request = indexedDB.open('registers');
			request.onupgradeneeded = () => {
				if (request.result.objectStoreNames.contains('registers')) return;
				request.result.createObjectStore('registers', { keyPath: 'sessionId' });
				request.result.createObjectStore('queue', { keyPath: 'clientId' }).createIndex('sessionId', 'sessionId');
			};
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
		});
		return opened;
	}

	/** @template T @param {IDBRequest<T>} request @returns {Promise<T>} */
	function result(request) {
		return new Promise((resolve, reject) => {
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
		});
	}

	/**
	 * Runs `work` in one transaction and resolves with what it returned once that has committed.
	 * @template T @param {string[]} stores @param {IDBTransactionMode} mode @param {(t: IDBTransaction) => Promise<T>} work @returns {Promise<T>}
	 */
	async function inTransaction(stores, mode, work) {
		const db = await database();
		return new Promise((resolve, reject) => {
			const t = db.transaction(stores, mode);
			/** @type {T} */
			let value;
			work(t).then((v) => (value = v), reject);
			t.oncomplete = () => resolve(value);
			t.onerror = t.onabort = () => reject(t.error);
		});
	}

	/** @param {string} key @returns {Promise<any>} */
	const findKept = (key) => inTransaction(['registers'], 'readonly', (t) => result(t.objectStore('registers').get(key)));
	/** @returns {Promise<any[]>} */
	const allKept = () => inTransaction(['registers'], 'readonly', (t) => result(t.objectStore('registers').getAll()));
	/** @param {any} entry */
	const putKept = (entry) =>
		inTransaction(['registers'], 'readwrite', async (t) => {
			t.objectStore('registers').put(entry);
		});
	/** @param {string} key @returns {Promise<any[]>} */
	const queued = (key) => inTransaction(['queue'], 'readonly', (t) => result(t.objectStore('queue').index('sessionId').getAll(key)));
	/** @param {string[]} clientIds */
	const unqueue = (clientIds) =>
		inTransaction(['queue'], 'readwrite', async (t) => {
			for (const id of clientIds) t.objectStore('queue').delete(id);
		});

	/** The page a kept register opens at. @param {{ sessionId: string, path?: string }} entry */
	const pathOf = (entry) => entry.path ?? `/sessions/${entry.sessionId}/register`;

	/** Removes a kept register, its queue and its page. @param {{ sessionId: string, path?: string }} entry */
	async function removeKept(entry) {
		await inTransaction(['registers', 'queue'], 'readwrite', async (t) => {
			t.objectStore('registers').delete(entry.sessionId);
			const queue = t.objectStore('queue');
			for (const key of await result(queue.index('sessionId').getAllKeys(entry.sessionId))) queue.delete(key);
		});
		await (await caches.open(PAGES)).delete(pathOf(entry));
	}

	/** Nothing is kept longer than 7 days from when it was kept, nor any change queued longer ago. */
	async function removeExpired() {
		const now = Date.now();
		for (const old of (await allKept()).filter((k) => now - k.keptAt > KEEP_FOR_MS)) await removeKept(old);
		await inTransaction(['queue'], 'readwrite', async (t) => {
			const queue = t.objectStore('queue');
			for (const change of await result(queue.getAll())) if (now - change.queuedAt > KEEP_FOR_MS) queue.delete(change.clientId);
		});
	}

	/** The page as the server sends it now, kept for opening without a connection. @param {string} path */
	async function keepPage(path) {
		const response = await fetch(path, { credentials: 'same-origin' });
		if (!response.ok || response.redirected) throw new Error(`page ${response.status}`);
		const headers = new Headers({ 'content-type': response.headers.get('content-type') ?? 'text/html' });
		const policy = response.headers.get('content-security-policy');
		if (policy) headers.set('content-security-policy', policy);
		await (await caches.open(PAGES)).put(path, new Response(await response.blob(), { headers }));
	}

	/** A register's data as the server has it now. @param {string} url */
	async function download(url) {
		const response = await fetch(url, { headers: { accept: 'application/json' } });
		if (!response.ok || response.redirected) throw new Error(`manifest ${response.status}`);
		return response.json();
	}

	/** The service worker that serves kept pages without a connection, once it is running. */
	async function startWorker() {
		await navigator.serviceWorker.register('/service-worker.js');
		await navigator.serviceWorker.ready;
	}

	const plural = (/** @type {number} */ n, /** @type {string} */ one, /** @type {string} */ many) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
	const keptUntil = (/** @type {number} */ keptAt) =>
		new Date(keptAt + KEEP_FOR_MS).toLocaleDateString('en-GB', { weekday: 'long', day: 'numeric', month: 'long' });

	/** @type {any} */ (window).offlineRegisters = {
		KEEP_FOR_MS,
		inTransaction,
		result,
		findKept,
		allKept,
		putKept,
		queued,
		unqueue,
		pathOf,
		removeKept,
		removeExpired,
		keepPage,
		download,
		startWorker,
		plural,
		keptUntil
	};
	// A page the app rendered in the browser inserts its scripts without `defer`'s order: those
	// that need this one wait for it.
	window.dispatchEvent(new Event('offline-registers'));
})();
