import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

// The process is up and answering: for a process supervisor or a load balancer's liveness
// check. It does not ask the database (that is /readyz), so a database outage never gets a
// healthy process restarted.
export const GET: RequestHandler = () => json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } });
