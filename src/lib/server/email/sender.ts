import type { Db } from '../db';
import type { Deliver } from './email';
import { claimDueOutboxMessages, updateOutboxFailed, updateOutboxRetry, updateOutboxSent, type ClaimedMessage } from './outbox.queries';

// The outbox's sender: services write emails into the outbox with their change (email.ts), and
// this delivers the queued ones, one at a time, from the server's scheduler. A message that
// the mail server refuses is tried again later, each wait twice the one before, and after
// MAX_ATTEMPTS tries it is marked failed; admins see each try on the Outbox page.

/** Tries before a message is given up as failed: about 4 hours of waiting in all. */
export const MAX_ATTEMPTS = 10;
/** The wait after the first failed try; each later wait is twice the one before. */
export const FIRST_RETRY_MS = 30_000;
/**
 * How long a claimed message is this process's to send before anyone may try it again: well
 * over one send's longest wait (deliverBySmtp's timeouts). A message is claimed just before it
 * is sent, never in a batch, so a slow mail server cannot keep the last of a batch waiting past
 * its lease (and another process sending it too), and a process killed mid-send leaves one
 * message waiting for its lease to end, not a batch.
 */
export const LEASE_MS = 5 * 60_000;

/** The wait after a message's `attempts`-th failed try. */
export function retryDelay(attempts: number): number {
	return FIRST_RETRY_MS * 2 ** (attempts - 1);
}

export interface SendOutcome {
	sent: number;
	retried: number;
	failed: number;
}

/** One line, short: an SMTP error can run to a whole server transcript. */
function errorText(error: unknown): string {
	const text = error instanceof Error ? error.message : String(error);
	return text.replace(/\s+/g, ' ').trim().slice(0, 500) || 'The mail server did not accept the message';
}

async function deliverOne(db: Db, deliver: Deliver, message: ClaimedMessage, clock: () => Date, outcome: SendOutcome) {
	try {
		await deliver({ to: message.to_address, subject: message.subject, text: message.body_text ?? '' });
	} catch (error) {
		if (message.attempts >= MAX_ATTEMPTS) {
			await updateOutboxFailed(db, message.id, errorText(error));
			outcome.failed++;
		} else {
			await updateOutboxRetry(db, message.id, errorText(error), new Date(clock().getTime() + retryDelay(message.attempts)));
			outcome.retried++;
		}
		return;
	}
	await updateOutboxSent(db, message.id, clock());
	outcome.sent++;
}

/**
 * Claims the queued messages that are due and delivers them, one at a time, until none are due.
 * Claiming is one statement (see claimDueOutboxMessages), so two processes never send one
 * message, and no transaction is held while the mail server answers: on the embedded database
 * that would hold up every request.
 */
export async function deliverDueMessages(db: Db, deliver: Deliver, clock: () => Date = () => new Date()): Promise<SendOutcome> {
	const outcome: SendOutcome = { sent: 0, retried: 0, failed: 0 };
	for (;;) {
		const now = clock();
		const [message] = await claimDueOutboxMessages(db, now, new Date(now.getTime() + LEASE_MS), 1);
		if (!message) return outcome;
		await deliverOne(db, deliver, message, clock, outcome);
	}
}
