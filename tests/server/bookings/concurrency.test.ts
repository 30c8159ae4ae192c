import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { describe, expect, it, vi } from 'vitest';
import { useTestDatabase } from '../../support/database';
import { book, confirmedPlaces, copyTemplateDatabase, makeContact, createLedProgramme, scheduleLeadSession, OPEN } from '../../support/booking-world';
import type { ProcessOutcome } from '../../support/book-concurrently';

// Races need real concurrent connections: PGlite has one, so these run on PostgreSQL only.
// They commit (t.root, or a database of their own), since a rolled-back test transaction is one
// connection too, and would queue the requests one behind the other.

// Booking emails stay in the outbox rather than going anywhere.
vi.stubEnv('SMTP_URL', '');

const ROUNDS = 50;
const SCHOOLS = 20;
const root = fileURLToPath(new URL('../../../', import.meta.url));

const tally = (results: ProcessOutcome[]) => ({
	confirmed: results.filter((r) => r.ok && r.status === 'confirmed').length,
	waitlisted: results.filter((r) => r.ok && r.status === 'waitlisted').length,
	refused: results.filter((r) => !r.ok).length
});

/** Starts `tsx book-concurrently.ts`: a separate app process with its own connection pool. */
function startBooker(url: string, sessionId: string, userIds: string[]) {
	const child = spawn(`${root}node_modules/.bin/tsx`, ['tests/support/book-concurrently.ts', url, sessionId, OPEN.toISOString(), ...userIds], {
		cwd: root,
		env: { ...process.env, SMTP_URL: '' },
		stdio: ['pipe', 'pipe', 'pipe']
	});
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
	const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
	const ready = new Promise<void>((resolve, reject) => {
		child.stdout.on('data', () => stdout.startsWith('ready\n') && resolve());
		void exited.then((code) => reject(new Error(`booker exited (${code}) before it was ready: ${stderr}`)));
	});
	return {
		ready,
		go: () => child.stdin.end('go\n'),
		async outcomes(): Promise<ProcessOutcome[]> {
			const code = await exited;
			if (code !== 0) throw new Error(`booker exited with ${code}: ${stderr}`);
			return JSON.parse(stdout.split('\n')[1] ?? '') as ProcessOutcome[];
		},
		stop: () => child.exitCode === null && child.kill()
	};
}

describe.skipIf(process.env.TEST_DB !== 'postgres')('bookPlaces under contention (PostgreSQL)', () => {
	const t = useTestDatabase();

	it(`confirms exactly 5 places when ${SCHOOLS} schools ask for 1 each at once, ${ROUNDS} rounds running`, async () => {
		const world = await createLedProgramme(t.root);
		const contacts = await Promise.all(Array.from({ length: SCHOOLS }, () => makeContact(t.root)));
		const rounds = [];
		for (let round = 0; round < ROUNDS; round++) {
			const sessionId = await scheduleLeadSession(t.root, world, { capacity: '5', venue: `Hall ${round}` });
			const results = await Promise.all(contacts.map((contact) => book(t.root, contact, sessionId, 1)));
			rounds.push({ ...tally(results), stored: await confirmedPlaces(t.root, sessionId) });
		}
		expect(rounds).toEqual(Array(ROUNDS).fill({ confirmed: 5, waitlisted: 15, refused: 0, stored: 5 }));
		const overbooked = await t.root
			.selectFrom('programme_session as s')
			.innerJoin('booking as b', 'b.session_id', 's.id')
			.select('s.id')
			.where('s.programme_id', '=', world.programmeId)
			.where('b.status', 'in', ['confirmed', 'waitlisted'])
			.groupBy(['s.id', 's.capacity'])
			.having(sql<boolean>`sum(b.confirmed_places) > s.capacity`)
			.execute();
		expect(overbooked).toEqual([]);
	}, 60_000);

	it('holds one school to its cap of 3 when it sends 10 requests of 1 place at once', async () => {
		const world = await createLedProgramme(t.root);
		for (let round = 0; round < 10; round++) {
			const sessionId = await scheduleLeadSession(t.root, world, { capacity: '30', schoolCap: '3', venue: `Hall ${round}` });
			const contact = await makeContact(t.root);
			const results = await Promise.all(Array.from({ length: 10 }, () => book(t.root, contact, sessionId, 1, OPEN, { again: 'yes' })));
			expect(tally(results)).toEqual({ confirmed: 3, waitlisted: 0, refused: 7 });
			expect(results.filter((r) => !r.ok)).toEqual(
				Array(7).fill({
					ok: false,
					code: 'refused',
					reason: 'over_school_cap',
					message: expect.stringMatching(/up to 3 places here and .* already has them all, so it cannot book more$/),
					field: 'places'
				})
			);
			expect(await confirmedPlaces(t.root, sessionId)).toBe(3);
		}
	}, 30_000);

	it('makes one booking of a form sent 5 times at once (a double-click, a retry)', async () => {
		const world = await createLedProgramme(t.root);
		const sessionId = await scheduleLeadSession(t.root, world, { capacity: '30' });
		const contact = await makeContact(t.root);
		const idempotencyKey = randomUUID();
		const results = await Promise.all(Array.from({ length: 5 }, () => book(t.root, contact, sessionId, 2, OPEN, { idempotencyKey })));
		const made = results.filter((r) => r.ok && !r.repeated);
		expect(made).toHaveLength(1);
		expect(results).toEqual(Array(5).fill({ ...made[0], repeated: expect.any(Boolean) }));
		expect(await confirmedPlaces(t.root, sessionId)).toBe(2);
	});

	it('confirms exactly 5 places when two app processes each send 10 requests at once', async () => {
		const copy = await copyTemplateDatabase();
		const bookers: ReturnType<typeof startBooker>[] = [];
		try {
			const db = copy.database.db;
			const world = await createLedProgramme(db);
			const sessionId = await scheduleLeadSession(db, world, { capacity: '5' });
			const contacts = await Promise.all(Array.from({ length: 20 }, () => makeContact(db)));
			for (const group of [contacts.slice(0, 10), contacts.slice(10)])
				bookers.push(
					startBooker(
						copy.url,
						sessionId,
						group.map((c) => c.id)
					)
				);
			await Promise.all(bookers.map((b) => b.ready));
			for (const booker of bookers) booker.go();
			const outcomes = (await Promise.all(bookers.map((b) => b.outcomes()))).flat();
			expect(outcomes.filter((o) => 'crashed' in o)).toEqual([]);
			expect(tally(outcomes)).toEqual({ confirmed: 5, waitlisted: 15, refused: 0 });
			expect(await confirmedPlaces(db, sessionId)).toBe(5);
		} finally {
			for (const booker of bookers) booker.stop();
			await copy.drop();
		}
	}, 60_000);
});
