import { sql } from 'kysely';
import type { Db } from '../db';
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
	const lastSuccess = db
		.selectFrom('sign_in_attempt')
		.select((eb) => eb.fn.max('at').as('at'))
		.where('account', '=', account)
		.where('succeeded', '=', true);
	const byAccount = await db
			.selectFrom('sign_in_attempt')
			.select('at')
			.where('account', '=', account)
			.where('succeeded', '=', false)
			.where('at', '>', since)
			.where(({ eb, selectFrom }) =>
				eb.or([eb(lastSuccess, 'is', null), eb('at', '>', selectFrom(lastSuccess.as('s')).select('s.at'))])
			)
			.orderBy('at', 'desc')
			.offset(ACCOUNT_LIMIT - 1)
			.limit(1)
			.executeTakeFirst();
	const byAddress = await db
			.selectFrom('sign_in_attempt')
			.select('at')
			.where('address', '=', address)
			.where('succeeded', '=', false)
			.where('at', '>', since)
			.orderBy('at', 'desc')
			.offset(ADDRESS_LIMIT - 1)
			.limit(1)
			.executeTakeFirst();
	const waits = [byAccount, byAddress].map((row) => (row ? row.at.getTime() + WINDOW_MS - now.getTime() : 0));
	return Math.max(0, ...waits);
}

export async function recordAttempt(db: Db, account: string, address: string, succeeded: boolean, now = new Date()) {
	await db.insertInto('sign_in_attempt').values({ account, address, succeeded, at: now }).execute();
}

/** Attempts older than a day are no use to the throttle; drop them so the table stays small. */
export async function pruneAttempts(db: Db, now = new Date()): Promise<void> {
	await db
		.deleteFrom('sign_in_attempt')
		.where('at', '<', sql<Date>`${now}::timestamptz - interval '1 day'`)
		.execute();
}
