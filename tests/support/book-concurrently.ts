// A second (or third) app process for the concurrency tests: opens its own pool on the database,
// says "ready", waits for a line on stdin so that every process fires together, then books
// 1 Year 7 place per user at once and prints the results as one line of JSON.
//
// tsx tests/support/book-concurrently.ts <database url> <session id> <now, ISO> <user id>...
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { sql } from 'kysely';
import type { Actor } from '../../src/lib/server/auth/session';
import { bookPlaces } from '../../src/lib/server/bookings/bookings.service';
import { openDatabase } from '../../src/lib/server/db/database';

export type ProcessOutcome = Awaited<ReturnType<typeof bookPlaces>> | { ok: false; crashed: string };

const [url, sessionId, nowText, ...userIds] = process.argv.slice(2);
if (!url || !sessionId || !nowText || userIds.length === 0) {
	console.error('usage: book-concurrently.ts <database url> <session id> <now> <user id>...');
	process.exit(2);
}

const database = await openDatabase({ kind: 'postgres', url, poolSize: userIds.length });
try {
	const users = await database.db.selectFrom('app_user').select(['id', 'email', 'name', 'role', 'school_id']).where('id', 'in', userIds).execute();
	const actors: Actor[] = users.map((u) => ({ id: u.id, email: u.email, name: u.name, role: u.role, schoolId: u.school_id, address: '192.0.2.9' }));
	// Open the pool's connections before the start signal, so connecting does not stagger the requests.
	await Promise.all(actors.map(() => sql`select 1`.execute(database.db)));

	process.stdout.write('ready\n');
	await once(process.stdin, 'data');
	process.stdin.destroy();
	const now = new Date(nowText);
	const outcomes: ProcessOutcome[] = await Promise.all(
		actors.map((actor) =>
			bookPlaces(
				database.db,
				actor,
				sessionId,
				{
					schoolId: '',
					yearGroup: 'Y7',
					places: '1',
					contactName: 'Sam Okafor',
					contactPhone: '01304 872000',
					classNames: '',
					accessNeeds: '',
					idempotencyKey: randomUUID()
				},
				now
			).catch((error: unknown): ProcessOutcome => ({ ok: false, crashed: String(error) }))
		)
	);
	process.stdout.write(`${JSON.stringify(outcomes)}\n`);
} finally {
	await database.close();
}
