import type { Db } from '../db';
import type { TokenPurpose } from '../db/schema';
import { generateToken, hashToken } from './tokens';

export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
export const PASSWORD_RESET_LIFETIME_MS = 60 * 60 * 1000;

const lifetime: Record<TokenPurpose, number> = {
	invitation: INVITATION_LIFETIME_MS,
	password_reset: PASSWORD_RESET_LIFETIME_MS
};

/** Issues a one-time link secret; earlier unused ones of the same purpose stop working. */
export async function issueUserToken(db: Db, userId: string, purpose: TokenPurpose, now = new Date()): Promise<string> {
	await db
		.deleteFrom('user_token')
		.where('user_id', '=', userId)
		.where('purpose', '=', purpose)
		.where('used_at', 'is', null)
		.execute();
	const token = generateToken();
	await db
		.insertInto('user_token')
		.values({
			id: hashToken(token),
			user_id: userId,
			purpose,
			expires_at: new Date(now.getTime() + lifetime[purpose])
		})
		.execute();
	return token;
}

/** The user a link's secret is for, if it is unused and unexpired; locks the row when in a transaction. */
export async function findUsableToken(db: Db, token: string, purpose: TokenPurpose, now = new Date()) {
	let query = db
		.selectFrom('user_token')
		.innerJoin('app_user', 'app_user.id', 'user_token.user_id')
		.select(['user_token.id as token_id', 'app_user.id as user_id', 'app_user.email', 'app_user.name', 'app_user.status'])
		.where('user_token.id', '=', hashToken(token))
		.where('user_token.purpose', '=', purpose)
		.where('user_token.used_at', 'is', null)
		.where('user_token.expires_at', '>', now);
	if (db.isTransaction) query = query.forUpdate();
	const row = await query.executeTakeFirst();
	const wanted = purpose === 'invitation' ? 'invited' : 'active';
	return row && row.status === wanted ? row : undefined;
}

export async function markTokenUsed(db: Db, tokenId: string, now = new Date()): Promise<void> {
	await db.updateTable('user_token').set({ used_at: now }).where('id', '=', tokenId).execute();
}

export async function deleteUnusedTokens(db: Db, userId: string): Promise<void> {
	await db.deleteFrom('user_token').where('user_id', '=', userId).where('used_at', 'is', null).execute();
}
