import type { Db } from '../db';
import type { TokenPurpose } from '../db/schema';
import { deleteUnusedTokensFor, findUnusedToken, insertUserToken } from './auth.queries';
import { generateToken, hashToken } from './tokens';

export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
export const PASSWORD_RESET_LIFETIME_MS = 60 * 60 * 1000;

const lifetime: Record<TokenPurpose, number> = {
	invitation: INVITATION_LIFETIME_MS,
	password_reset: PASSWORD_RESET_LIFETIME_MS
};

/** Issues a one-time link secret; earlier unused ones of the same purpose stop working. */
export async function issueUserToken(db: Db, userId: string, purpose: TokenPurpose, now = new Date()): Promise<string> {
	await deleteUnusedTokensFor(db, userId, purpose);
	const token = generateToken();
	await insertUserToken(db, { id: hashToken(token), userId, purpose, expiresAt: new Date(now.getTime() + lifetime[purpose]) });
	return token;
}

/**
 * The user a link's secret is for, if it is unused and unexpired and the account is in the
 * state the link is for; locks the row when in a transaction.
 */
export async function findUsableToken(db: Db, token: string, purpose: TokenPurpose, now = new Date()) {
	const row = await findUnusedToken(db, hashToken(token), purpose, now);
	const wanted = purpose === 'invitation' ? 'invited' : 'active';
	return row && row.status === wanted ? row : undefined;
}
