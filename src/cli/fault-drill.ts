// `npm run fault-drill`: what happens to the app when PostgreSQL ends its connections (a
// restart, a failover, `pg_terminate_backend`). Starts the app (building it if needed) on a
// throwaway database on the server of FAULT_DRILL_DATABASE_URL (default: the local server), puts
// it under load, ends every connection to that database three times and then refuses new ones
// for five seconds, and prints for each fault the requests that failed and the time until the
// app served again. Figures, not pass or fail: tests/e2e/database-faults.spec.ts asserts.
import { availableParallelism } from 'node:os';
import { runFaultDrill } from './fault-drill/drill';

const serverUrl = process.env.FAULT_DRILL_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const clients = Number(process.env.FAULT_DRILL_CLIENTS || 8);

try {
	const result = await runFaultDrill({ serverUrl, entry: 'src/cli/start.js', rounds: 3, clients, outageMs: 5000, progress: (line) => console.log(line) });
	console.log('');
	console.log(
		`${result.requests} requests from ${clients} clients (median ${result.medianMs.toFixed(0)} ms a page before the faults), ${availableParallelism()} cores, Node ${process.version}`
	);
	if (result.outage) {
		const { page, readyz, healthz } = result.outage;
		console.log(
			`During the outage: a page answered ${page.status} (Retry-After ${page.retryAfter ?? 'none'}, ${page.saysUnavailable ? 'says "briefly unavailable"' : 'does NOT say "briefly unavailable"'}), /readyz ${readyz}, /healthz ${healthz}`
		);
	}
	const all = [...result.rounds, ...(result.outage ? [result.outage] : [])];
	if (all.some((f) => !f.processUp || !f.answeredOk)) {
		console.error(`The app did not come through:\n${result.stderr}`);
		process.exitCode = 1;
	}
} catch (error) {
	console.error(`The fault drill failed: ${error instanceof Error ? error.message : String(error)}`);
	process.exitCode = 1;
}
