import type { Db } from '../db';
import { authoriseOutbox } from '../auth/policy';
import type { Actor } from '../auth/session';
import type { OutboxStatus } from '../db/schema';
import { smtpConfigured } from './email';
import { MAX_ATTEMPTS } from './sender';
import { countOutboxByStatus, listOutboxMessages } from './outbox.queries';

const PAGE_SIZE = 25;

/**
 * Admins read every message the app has sent, kept or is still trying to send, newest first,
 * with how many of each there are: a mail server that refuses messages shows here as queued
 * messages with an error, and then as failed ones.
 */
export async function readOutbox(db: Db, actor: Actor, page: number, status?: OutboxStatus) {
	await authoriseOutbox(db, actor);
	const messages = await listOutboxMessages(db, PAGE_SIZE + 1, (page - 1) * PAGE_SIZE, status);
	return {
		status,
		messages: messages.slice(0, PAGE_SIZE),
		hasNext: messages.length > PAGE_SIZE,
		page,
		counts: await countOutboxByStatus(db),
		maxAttempts: MAX_ATTEMPTS,
		smtpConfigured: smtpConfigured()
	};
}
