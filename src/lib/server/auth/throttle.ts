import type { Db } from '../db';
import { deleteSignInAttemptsOlderThanADay, findNthFailureFromAddress, findNthFailureOfAccount, insertSignInAttempt } from './auth.queries';
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

/** Milliseconds until `account` at `address` may try again, or 0 when it may now. */
export async function throttleWait(db: Db, account: string, address: string, now = new Date()): Promise<number> {
	const since = new Date(now.getTime() - WINDOW_MS);
	const byAccount = await findNthFailureOfAccount(db, account, since, ACCOUNT_LIMIT);
	const byAddress = await findNthFailureFromAddress(db, address, since, ADDRESS_LIMIT);
	const waits = [byAccount, byAddress].map((row) => (row ? row.at.getTime() + WINDOW_MS - now.getTime() : 0));
	return Math.max(0, ...waits);
}

export async function recordAttempt(db: Db, account: string, address: string, succeeded: boolean, now = new Date()) {
	await insertSignInAttempt(db, { account, address, succeeded, at: now });
}

/** Attempts older than a day are no use to the throttle; drop them so the table stays small. */
export async function pruneAttempts(db: Db, now = new Date()): Promise<void> {
	await deleteSignInAttemptsOlderThanADay(db, now);
}
