import { sql } from 'kysely';
import type { Db } from '../db';
import { PREPARED } from '../db/prepared';
import type { TokenPurpose } from '../db/schema';

// Every query of sign-in: sessions, sign-in attempts and one-time links. Secrets are stored
// and looked up only by their hash (auth/tokens.ts); these functions take the hash.

export async function insertSession(db: Db, session: { id: string; userId: string; createdAt: Date; expiresAt: Date; secondFactorPending?: boolean }) {
	await db
		.insertInto('auth_session')
		.values({
			id: session.id,
			user_id: session.userId,
			created_at: session.createdAt,
			expires_at: session.expiresAt,
			second_factor_pending: session.secondFactorPending ?? false
		})
		.execute();
}

/** A session with the user it belongs to. Read on every request a signed-in user makes, so prepared. */
export async function findSessionWithUser(db: Db, id: string) {
	return db
		.selectFrom('auth_session')
		.innerJoin('app_user', 'app_user.id', 'auth_session.user_id')
		.select([
			'auth_session.created_at',
			'auth_session.expires_at',
			'auth_session.second_factor_pending',
			'app_user.totp_enabled_at',
			'app_user.id',
			'app_user.email',
			'app_user.name',
			'app_user.role',
			'app_user.school_id',
			'app_user.status'
		])
		.where('auth_session.id', '=', id)
		.modifyEnd(PREPARED)
		.executeTakeFirst();
}

export async function updateSessionExpiry(db: Db, id: string, expiresAt: Date) {
	await db.updateTable('auth_session').set({ expires_at: expiresAt }).where('id', '=', id).execute();
}

export async function deleteSession(db: Db, id: string) {
	await db.deleteFrom('auth_session').where('id', '=', id).execute();
}

export async function deleteUserSessions(db: Db, userId: string) {
	await db.deleteFrom('auth_session').where('user_id', '=', userId).execute();
}

/**
 * The time of an account's `nth` latest failed attempt since `since` that came after its last
 * success, if it has that many; only those from `address` when it is given.
 */
export async function findNthFailureOfAccount(db: Db, account: string, since: Date, nth: number, address?: string) {
	const lastSuccess = db
		.selectFrom('sign_in_attempt')
		.select((eb) => eb.fn.max('at').as('at'))
		.where('account', '=', account)
		.where('succeeded', '=', true);
	let failures = db
		.selectFrom('sign_in_attempt')
		.select('at')
		.where('account', '=', account)
		.where('succeeded', '=', false)
		.where('at', '>', since)
		.where(({ eb, selectFrom }) => eb.or([eb(lastSuccess, 'is', null), eb('at', '>', selectFrom(lastSuccess.as('s')).select('s.at'))]));
	if (address !== undefined) failures = failures.where('address', '=', address);
	return failures
		.orderBy('at', 'desc')
		.offset(nth - 1)
		.limit(1)
		.executeTakeFirst();
}

/** Whether an account succeeded from an address since `since` (the address it is used from). */
export async function findSuccessFrom(db: Db, account: string, address: string, since: Date) {
	return db
		.selectFrom('sign_in_attempt')
		.select('at')
		.where('account', '=', account)
		.where('address', '=', address)
		.where('succeeded', '=', true)
		.where('at', '>', since)
		.limit(1)
		.executeTakeFirst();
}

export async function findNthFailureFromAddress(db: Db, address: string, since: Date, nth: number) {
	return db
		.selectFrom('sign_in_attempt')
		.select('at')
		.where('address', '=', address)
		.where('succeeded', '=', false)
		.where('at', '>', since)
		.orderBy('at', 'desc')
		.offset(nth - 1)
		.limit(1)
		.executeTakeFirst();
}

export async function insertSignInAttempt(db: Db, attempt: { account: string; address: string; succeeded: boolean; at: Date }): Promise<number> {
	const row = await db.insertInto('sign_in_attempt').values(attempt).returning('id').executeTakeFirstOrThrow();
	return row.id;
}

export async function updateSignInAttempt(db: Db, id: number, succeeded: boolean) {
	await db.updateTable('sign_in_attempt').set({ succeeded }).where('id', '=', id).execute();
}

export async function deleteSignInAttempt(db: Db, id: number) {
	await db.deleteFrom('sign_in_attempt').where('id', '=', id).execute();
}

/** Failed attempts more than a day older than `now`, and successful ones more than `keepSuccesses` days. */
export async function deleteSignInAttemptsNoLongerNeeded(db: Db, now: Date, keepSuccesses: number) {
	await db
		.deleteFrom('sign_in_attempt')
		.where(({ eb, or, and }) =>
			or([
				and([eb('succeeded', '=', false), eb('at', '<', sql<Date>`${now}::timestamptz - interval '1 day'`)]),
				eb('at', '<', sql<Date>`${now}::timestamptz - make_interval(days => ${keepSuccesses})`)
			])
		)
		.execute();
}

/** Unused one-time links of one purpose for a user. */
export async function deleteUnusedTokensFor(db: Db, userId: string, purpose: TokenPurpose) {
	await db.deleteFrom('user_token').where('user_id', '=', userId).where('purpose', '=', purpose).where('used_at', 'is', null).execute();
}

export async function insertUserToken(db: Db, token: { id: string; userId: string; purpose: TokenPurpose; expiresAt: Date }) {
	await db.insertInto('user_token').values({ id: token.id, user_id: token.userId, purpose: token.purpose, expires_at: token.expiresAt }).execute();
}

/** An unused, unexpired link with its user; the row is locked when in a transaction. */
export async function findUnusedToken(db: Db, id: string, purpose: TokenPurpose, now: Date) {
	let query = db
		.selectFrom('user_token')
		.innerJoin('app_user', 'app_user.id', 'user_token.user_id')
		.select(['user_token.id as token_id', 'app_user.id as user_id', 'app_user.email', 'app_user.name', 'app_user.status'])
		.where('user_token.id', '=', id)
		.where('user_token.purpose', '=', purpose)
		.where('user_token.used_at', 'is', null)
		.where('user_token.expires_at', '>', now);
	if (db.isTransaction) query = query.forUpdate();
	return query.executeTakeFirst();
}

export async function updateTokenUsed(db: Db, tokenId: string, now = new Date()) {
	await db.updateTable('user_token').set({ used_at: now }).where('id', '=', tokenId).execute();
}

/** Every unused link of a user, whatever its purpose. */
export async function deleteUnusedTokens(db: Db, userId: string) {
	await db.deleteFrom('user_token').where('user_id', '=', userId).where('used_at', 'is', null).execute();
}

/** Sessions past their expiry: refused already, deleted by the nightly retention run. Returns how many. */
export async function deleteExpiredSessions(db: Db, now: Date): Promise<number> {
	const result = await db.deleteFrom('auth_session').where('expires_at', '<=', now).executeTakeFirst();
	return Number(result.numDeletedRows);
}

/** One-time links (invitations, password resets) past their expiry, used or not. Returns how many. */
export async function deleteExpiredTokens(db: Db, now: Date): Promise<number> {
	const result = await db.deleteFrom('user_token').where('expires_at', '<=', now).executeTakeFirst();
	return Number(result.numDeletedRows);
}

/** Every session of these users (anonymised accounts). */
export async function deleteSessionsOfUsers(db: Db, userIds: readonly string[]) {
	if (userIds.length === 0) return;
	await db.deleteFrom('auth_session').where('user_id', 'in', userIds).execute();
	await db.deleteFrom('user_token').where('user_id', 'in', userIds).execute();
}
