import type { Kysely } from 'kysely';
import { pendingMigrations } from '../db/migrate';
import { isDatabaseUnavailable } from '../db/unavailable';
import { log } from '../log';

// What a load balancer or a monitor asks: is the process up (`/healthz`), and can it serve
// (`/readyz`: the database answers and has every migration this build expects). The answers
// hold counts and states only: no names, no addresses, no error text (which can name the
// database's host and user).

export interface Readiness {
	ready: boolean;
	database: 'reachable' | 'unreachable';
	migrations: 'current' | 'pending' | 'unknown';
	/** How many of this build's migrations the database has not applied. */
	pendingMigrations?: number;
}

/** A check that takes longer than this counts as unreachable: a monitor should not hang. */
const READINESS_TIMEOUT_MS = 3_000;

/** Whether the database can serve this build: reachable within `timeoutMs`, every migration applied. */
export async function readiness<DB>(db: () => Kysely<DB>, timeoutMs = READINESS_TIMEOUT_MS): Promise<Readiness> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const timeout = new Promise<'timeout'>((resolve) => {
		timer = setTimeout(() => resolve('timeout'), timeoutMs);
	});
	try {
		const pending = await Promise.race([pendingMigrations(db()), timeout]);
		if (pending === 'timeout') return { ready: false, database: 'unreachable', migrations: 'unknown' };
		if (pending.length > 0) return { ready: false, database: 'reachable', migrations: 'pending', pendingMigrations: pending.length };
		return { ready: true, database: 'reachable', migrations: 'current' };
	} catch (error) {
		// Unreachable is what readiness is for; anything else is worth a line in the log.
		if (!isDatabaseUnavailable(error)) log.error({ stack: error instanceof Error ? error.stack : String(error) }, 'The readiness check failed');
		return { ready: false, database: 'unreachable', migrations: 'unknown' };
	} finally {
		clearTimeout(timer);
	}
}
