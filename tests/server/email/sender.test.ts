import { describe, expect, it } from 'vitest';
import type { EmailMessage } from '../../../src/lib/server/email/email';
import { claimDueOutboxMessages, insertOutboxMessage } from '../../../src/lib/server/email/outbox.queries';
import { deliverDueMessages, LEASE_MS, MAX_ATTEMPTS, retryDelay } from '../../../src/lib/server/email/sender';
import { useTestDatabase } from '../../support/database';

// The sender against a fake mail server (a function that takes or refuses each message) and a
// fake clock, so a retry four hours later takes no time at all.

const t = useTestDatabase();
const START = new Date('2030-05-01T08:00:00Z');

function fakeClock() {
	let now = START.getTime();
	return {
		now: () => new Date(now),
		set: (at: Date) => {
			now = at.getTime();
		},
		advance: (ms: number) => {
			now += ms;
		}
	};
}

/** A mail server that takes what it is given, or refuses while `refusing` is set. */
function fakeServer() {
	const server = {
		taken: [] as EmailMessage[],
		refusing: undefined as string | undefined,
		deliver: async (message: EmailMessage) => {
			if (server.refusing) throw new Error(server.refusing);
			server.taken.push(message);
		}
	};
	return server;
}

async function queue(to = 'contact@school.example.org', text = 'Open https://tracker.example.org/reset-password/abc within an hour') {
	await insertOutboxMessage(t.db, { to_address: to, subject: 'Reset your password', body_text: text, status: 'queued', next_attempt_at: START });
	return t.db.selectFrom('outbox_message').select('id').where('to_address', '=', to).executeTakeFirstOrThrow();
}

const stored = (id: string) =>
	t.db
		.selectFrom('outbox_message')
		.select(['status', 'attempts', 'error', 'next_attempt_at', 'sent_at', 'body_text'])
		.where('id', '=', id)
		.executeTakeFirstOrThrow();

describe('deliverDueMessages', () => {
	it('hands a queued message to the mail server, marks it sent and drops its text', async () => {
		const clock = fakeClock();
		const server = fakeServer();
		const { id } = await queue();

		expect(await deliverDueMessages(t.db, server.deliver, clock.now)).toEqual({ sent: 1, retried: 0, failed: 0 });

		expect(server.taken).toEqual([{ to: 'contact@school.example.org', subject: 'Reset your password', text: expect.stringContaining('/reset-password/abc') }]);
		expect(await stored(id)).toEqual({ status: 'sent', attempts: 1, error: null, next_attempt_at: null, sent_at: START, body_text: null });
		// Sent once: the next look finds nothing to send.
		expect(await deliverDueMessages(t.db, server.deliver, clock.now)).toEqual({ sent: 0, retried: 0, failed: 0 });
		expect(server.taken).toHaveLength(1);
	});

	it('leaves kept messages alone, and messages not yet due', async () => {
		const server = fakeServer();
		await insertOutboxMessage(t.db, { to_address: 'kept@example.org', subject: 'Kept', body_text: 'Hello', status: 'kept' });
		await insertOutboxMessage(t.db, {
			to_address: 'later@example.org',
			subject: 'Later',
			body_text: 'Hello',
			status: 'queued',
			next_attempt_at: new Date(START.getTime() + 1)
		});
		expect(await deliverDueMessages(t.db, server.deliver, () => START)).toEqual({ sent: 0, retried: 0, failed: 0 });
		expect(server.taken).toEqual([]);
	});

	it('tries a refused message again after waits that double, keeping the error, until it is taken', async () => {
		const clock = fakeClock();
		const server = fakeServer();
		const { id } = await queue();
		server.refusing = '421 4.7.0 Try again later';

		expect(await deliverDueMessages(t.db, server.deliver, clock.now)).toEqual({ sent: 0, retried: 1, failed: 0 });
		expect(await stored(id)).toMatchObject({
			status: 'queued',
			attempts: 1,
			error: '421 4.7.0 Try again later',
			next_attempt_at: new Date(START.getTime() + 30_000)
		});

		// Not before the wait is over.
		clock.advance(29_999);
		expect(await deliverDueMessages(t.db, server.deliver, clock.now)).toEqual({ sent: 0, retried: 0, failed: 0 });
		clock.advance(1);
		expect(await deliverDueMessages(t.db, server.deliver, clock.now)).toEqual({ sent: 0, retried: 1, failed: 0 });
		expect(await stored(id)).toMatchObject({ attempts: 2, next_attempt_at: new Date(clock.now().getTime() + 60_000) });

		server.refusing = undefined;
		clock.advance(60_000);
		expect(await deliverDueMessages(t.db, server.deliver, clock.now)).toEqual({ sent: 1, retried: 0, failed: 0 });
		expect(await stored(id)).toMatchObject({ status: 'sent', attempts: 3, error: null, body_text: null });
	});

	it(`gives a message up as failed after ${MAX_ATTEMPTS} tries, with the last error, and drops its text`, async () => {
		const clock = fakeClock();
		const server = fakeServer();
		const { id } = await queue();
		const waits: number[] = [];
		for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
			server.refusing = `Connection refused (try ${attempt})`;
			const before = clock.now().getTime();
			const outcome = await deliverDueMessages(t.db, server.deliver, clock.now);
			expect(outcome).toEqual(attempt < MAX_ATTEMPTS ? { sent: 0, retried: 1, failed: 0 } : { sent: 0, retried: 0, failed: 1 });
			const row = await stored(id);
			if (row.next_attempt_at) {
				waits.push(row.next_attempt_at.getTime() - before);
				clock.set(row.next_attempt_at);
			}
		}
		expect(waits).toEqual(Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) => retryDelay(i + 1)));
		expect(waits.slice(0, 3)).toEqual([30_000, 60_000, 120_000]);
		expect(await stored(id)).toEqual({
			status: 'failed',
			attempts: MAX_ATTEMPTS,
			error: `Connection refused (try ${MAX_ATTEMPTS})`,
			next_attempt_at: null,
			sent_at: null,
			body_text: null
		});
		// Given up: never tried again.
		clock.advance(7 * 86_400_000);
		server.refusing = undefined;
		expect(await deliverDueMessages(t.db, server.deliver, clock.now)).toEqual({ sent: 0, retried: 0, failed: 0 });
	});

	it('tries a message again once the lease of a sender that died while sending it has ended', async () => {
		const clock = fakeClock();
		const { id } = await queue();
		// A sender claims the message, then its process is killed before it can mark it.
		expect(await claimDueOutboxMessages(t.db, START, new Date(START.getTime() + LEASE_MS), 20)).toMatchObject([{ id, attempts: 1 }]);

		const server = fakeServer();
		clock.set(new Date(START.getTime() + LEASE_MS - 1));
		expect(await deliverDueMessages(t.db, server.deliver, clock.now)).toEqual({ sent: 0, retried: 0, failed: 0 });
		clock.advance(1);
		expect(await deliverDueMessages(t.db, server.deliver, clock.now)).toEqual({ sent: 1, retried: 0, failed: 0 });
		expect(await stored(id)).toMatchObject({ status: 'sent', attempts: 2 });
	});

	it('keeps an error to one line of at most 500 characters', async () => {
		const { id } = await queue();
		const transcript = `550 5.1.1 Mailbox unavailable\n${'x'.repeat(2000)}`;
		await deliverDueMessages(
			t.db,
			async () => {
				throw new Error(transcript);
			},
			() => START
		);
		const { error } = await stored(id);
		expect(error).toHaveLength(500);
		expect(error).toMatch(/^550 5\.1\.1 Mailbox unavailable x+$/);
	});
});
