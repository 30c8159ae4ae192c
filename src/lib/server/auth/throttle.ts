import type { Db } from '../db';
import {
	deleteSignInAttempt,
	deleteSignInAttemptsNoLongerNeeded,
	findNthFailureFromAddress,
	findNthFailureOfAccount,
	findSuccessFrom,
	insertSignInAttempt,
	updateSignInAttempt
} from './auth.queries';
import { hashToken } from './tokens';

// The sign-in throttle, keyed as OWASP's guidance on credential guessing describes, so that no
// one address can lock an account's owner out from everywhere:
//
// - An account: after 5 failures within 15 minutes it is locked against guessing, until the
//   oldest of them is 15 minutes old (or the owner signs in). The lock does not hold at an
//   address the account has signed in from within 30 days (the owner's usual place): there the
//   account has 5 tries of its own, counted from that address only. Someone guessing has no
//   such address, so failures from elsewhere never lock the owner out where they work.
// - An address: after 20 failures within 15 minutes, from it to any accounts (unknown ones
//   included), it may not try again until the oldest is 15 minutes old, except for accounts
//   that have signed in from it within 30 days, which stay under their own limit above.
//
// Behind a reverse proxy the app must be told the client's address (ADDRESS_HEADER and
// XFF_DEPTH, see the README): otherwise every client shares the proxy's address.
export const WINDOW_MS = 15 * 60 * 1000;
export const ACCOUNT_LIMIT = 5;
export const ADDRESS_LIMIT = 20;
/** How long a successful sign-in makes its address the account's usual place. */
export const USUAL_ADDRESS_DAYS = 30;

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
	const usual = await findSuccessFrom(db, account, address, new Date(now.getTime() - USUAL_ADDRESS_DAYS * 24 * 60 * 60 * 1000));
	// This attempt is one of the failures found, so the one beyond the limit is looked for.
	const found = usual
		? [await findNthFailureOfAccount(db, account, since, ACCOUNT_LIMIT + 1, address)]
		: [await findNthFailureOfAccount(db, account, since, ACCOUNT_LIMIT + 1), await findNthFailureFromAddress(db, address, since, ADDRESS_LIMIT + 1)];
	const wait = waitFor(found, WINDOW_MS, now);
	if (wait > 0) await deleteSignInAttempt(db, id);
	return { id, wait };
}

/** Milliseconds until the oldest of the failures found (one per limit reached) leaves the window. */
function waitFor(found: ({ at: Date } | undefined)[], windowMs: number, now: Date): number {
	return Math.max(0, ...found.map((row) => (row ? row.at.getTime() + windowMs - now.getTime() : 0)));
}

/**
 * A request that is not a guess but costs something or reaches someone (a password reset link
 * emailed), limited per email typed and per address: `account` times an hour for one email, and
 * `address` times in 15 minutes from one address. Counted before it is acted on, like an attempt,
 * in the same table under keys of its own, so these never count as failed sign-ins.
 */
export const RESET_LIMITS = { kind: 'password_reset', account: 3, accountWindowMs: 60 * 60 * 1000, address: 10, addressWindowMs: WINDOW_MS };

export async function countRequest(db: Db, limits: typeof RESET_LIMITS, email: string, address: string, now = new Date()): Promise<{ wait: number }> {
	const account = `${limits.kind}:${accountKey(email)}`;
	const from = `${limits.kind}:${address}`;
	const id = await insertSignInAttempt(db, { account, address: from, succeeded: false, at: now });
	const byAccount = await findNthFailureOfAccount(db, account, new Date(now.getTime() - limits.accountWindowMs), limits.account + 1);
	const byAddress = await findNthFailureFromAddress(db, from, new Date(now.getTime() - limits.addressWindowMs), limits.address + 1);
	const wait = Math.max(waitFor([byAccount], limits.accountWindowMs, now), waitFor([byAddress], limits.addressWindowMs, now));
	if (wait > 0) await deleteSignInAttempt(db, id);
	return { wait };
}

/** Marks a counted attempt as having succeeded, which starts the account's count again. */
export async function attemptSucceeded(db: Db, attempt: Attempt): Promise<void> {
	await updateSignInAttempt(db, attempt.id, true);
}

/** Failures older than a day are no use to the throttle, nor successes older than the usual-address days: drop them. */
export async function pruneAttempts(db: Db, now = new Date()): Promise<void> {
	await deleteSignInAttemptsNoLongerNeeded(db, now, USUAL_ADDRESS_DAYS);
}
