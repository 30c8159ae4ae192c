import type { Db } from '../db';
import {
	deleteSignInAttempt,
	deleteSignInAttemptsOlderThanADay,
	findNthFailureFromAddress,
	findNthFailureOfAccount,
	insertSignInAttempt,
	updateSignInAttempt
} from './auth.queries';
import { hashToken } from './tokens';

// After 5 failures for one account within 15 minutes, or 20 from one address, further
// attempts are refused until the oldest of those failures is 15 minutes old. An
// account's count starts again after a successful sign-in.
export const WINDOW_MS = 15 * 60 * 1000;
export const ACCOUNT_LIMIT = 5;
export const ADDRESS_LIMIT = 20;

/** Attempts are kept by a hash of the email typed, known or unknown, never the text itself. */
export function accountKey(email: string): string {
	return hashToken(email.trim().toLowerCase());
}

export interface Attempt {
	id: number;
	/** Milliseconds until this account at this address may try again; 0 when this attempt may go on. */
	wait: number;
}

/**
 * Counts an attempt before it is checked. The attempt is written first, as a failure, and only
 * then are the failures counted, itself included: of any number of attempts made at once,
 * each sees every one written before it, so no more than the limit get past however many
 * race (counting first and writing after let 30 concurrent guesses all through). An attempt
 * that is turned away is taken out again, so waiting out the lock is enough to end it.
 */
export async function beginAttempt(db: Db, account: string, address: string, now = new Date()): Promise<Attempt> {
	const id = await insertSignInAttempt(db, { account, address, succeeded: false, at: now });
	const since = new Date(now.getTime() - WINDOW_MS);
	// This attempt is one of the failures found, so the one beyond the limit is looked for.
	const byAccount = await findNthFailureOfAccount(db, account, since, ACCOUNT_LIMIT + 1);
	const byAddress = await findNthFailureFromAddress(db, address, since, ADDRESS_LIMIT + 1);
	const wait = Math.max(0, ...[byAccount, byAddress].map((row) => (row ? row.at.getTime() + WINDOW_MS - now.getTime() : 0)));
	if (wait > 0) await deleteSignInAttempt(db, id);
	return { id, wait };
}

/** Marks a counted attempt as having succeeded, which starts the account's count again. */
export async function attemptSucceeded(db: Db, attempt: Attempt): Promise<void> {
	await updateSignInAttempt(db, attempt.id, true);
}

/** Attempts older than a day are no use to the throttle; drop them so the table stays small. */
export async function pruneAttempts(db: Db, now = new Date()): Promise<void> {
	await deleteSignInAttemptsOlderThanADay(db, now);
}
