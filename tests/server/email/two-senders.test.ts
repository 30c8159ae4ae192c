import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type AppDatabase } from '../../../src/lib/server/db/database';
import type { EmailMessage } from '../../../src/lib/server/email/email';
import { deliverDueMessages } from '../../../src/lib/server/email/sender';
import { copyPostgresTemplate } from '../../support/database';

// Two app processes on one PostgreSQL each run a sender. Each has its own pool here, so their
// claims really run at once; the mail server is a function that records what it is given and
// yields between messages, so the two senders' batches interleave.

const MESSAGES = 300;

describe.skipIf(process.env.TEST_DB !== 'postgres')('two senders on one PostgreSQL', () => {
	let first: AppDatabase & { url: string };
	let second: AppDatabase;
	beforeAll(async () => {
		first = await copyPostgresTemplate(5);
		second = await openDatabase({ kind: 'postgres', url: first.url, poolSize: 5 });
	});
	afterAll(async () => {
		await second?.close();
		await first?.close();
	});

	it(`deliver each of ${MESSAGES} queued messages exactly once`, async () => {
		const rows = Array.from({ length: MESSAGES }, (_, i) => ({
			to_address: `contact-${i}@school.example.org`,
			subject: `Booking confirmed ${i}`,
			body_text: `Message ${i}`,
			status: 'queued' as const,
			next_attempt_at: new Date(Date.now() - 1000)
		}));
		await first.db.insertInto('outbox_message').values(rows).execute();

		const taken: { sender: string; to: string }[] = [];
		const server = (sender: string) => async (message: EmailMessage) => {
			await new Promise((resolve) => setImmediate(resolve));
			taken.push({ sender, to: message.to });
		};
		const outcomes = await Promise.all([
			deliverDueMessages(first.db, server('first')),
			deliverDueMessages(second.db, server('second')),
			deliverDueMessages(first.db, server('first again')),
			deliverDueMessages(second.db, server('second again'))
		]);

		const addresses = taken.map((t) => t.to).sort();
		expect(new Set(addresses).size).toBe(MESSAGES);
		expect(addresses).toHaveLength(MESSAGES);
		expect(outcomes.reduce((sum, o) => sum + o.sent, 0)).toBe(MESSAGES);
		// Both processes took a share, so the claims did race.
		expect(new Set(taken.map((t) => t.sender.split(' ')[0])).size).toBe(2);
		const left = await first.db.selectFrom('outbox_message').select('status').where('status', '!=', 'sent').execute();
		expect(left).toEqual([]);
	});
});
