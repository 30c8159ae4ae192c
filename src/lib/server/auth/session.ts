import type { Db } from '../db';
import type { Role } from '../db/schema';
import { deleteSession, findSessionWithUser, insertSession, updateSessionExpiry } from './auth.queries';
import { generateToken, hashToken } from './tokens';
import { mustUseSecondFactor } from './second-factor-required';

// Sessions suit shared office computers: a session ends after an hour without use, and in
// any case eight hours after sign-in. Each request renews the idle timeout (at most once a
// minute, to spare the database a write per request). The cookie has no expiry of its own,
// so closing the browser ends it too.
export const IDLE_TIMEOUT_MS = 60 * 60 * 1000;
export const ABSOLUTE_LIFETIME_MS = 8 * 60 * 60 * 1000;
const RENEWAL_INTERVAL_MS = 60 * 1000;

/** Who is asking: the signed-in user as services see them. Never carries the password hash. */
export interface Actor {
	id: string;
	email: string;
	name: string;
	role: Role;
	schoolId: string | null;
	/** The client's network address, recorded in the audit log. */
	address?: string;
}

/**
 * What a session still lacks before it is fully signed in: the code of a second factor the
 * user has (`code`), or setting one up because their role requires one (`set_up`).
 */
export type SecondFactorOutstanding = 'code' | 'set_up' | null;

/** A session's user, and what second factor is outstanding (hooks keep such a session to one page). */
export type SessionUser = Actor & { secondFactor: SecondFactorOutstanding };

export async function createSession(db: Db, userId: string, now = new Date(), options: { secondFactorPending?: boolean } = {}): Promise<string> {
	const token = generateToken();
	await insertSession(db, {
		id: hashToken(token),
		userId,
		createdAt: now,
		expiresAt: new Date(now.getTime() + IDLE_TIMEOUT_MS),
		secondFactorPending: options.secondFactorPending
	});
	return token;
}

export async function validateSessionToken(db: Db, token: string, now = new Date()): Promise<SessionUser | null> {
	const id = hashToken(token);
	const row = await findSessionWithUser(db, id);
	if (!row) return null;
	const hardEnd = row.created_at.getTime() + ABSOLUTE_LIFETIME_MS;
	if (row.status !== 'active' || now.getTime() >= row.expires_at.getTime() || now.getTime() >= hardEnd) {
		await deleteSession(db, id);
		return null;
	}
	const renewed = Math.min(now.getTime() + IDLE_TIMEOUT_MS, hardEnd);
	if (renewed - row.expires_at.getTime() >= RENEWAL_INTERVAL_MS) await updateSessionExpiry(db, id, new Date(renewed));
	const secondFactor = row.second_factor_pending ? 'code' : !row.totp_enabled_at && mustUseSecondFactor(row.role) ? 'set_up' : null;
	return { id: row.id, email: row.email, name: row.name, role: row.role, schoolId: row.school_id, secondFactor };
}

export async function invalidateSession(db: Db, token: string): Promise<void> {
	await deleteSession(db, hashToken(token));
}
