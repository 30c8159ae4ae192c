import { withTransaction, type Db } from '../db';
import { insertAuditEvent } from '../audit/audit.queries';
import { sendEmail } from '../email/email';
import { findUserByEmail, findUserWithPassword, updateUser } from '../users/users.queries';
import { hashPassword, passwordProblem, verifyAgainstDummy, verifyPassword } from './password';
import { createSession, invalidateSession, invalidateUserSessions, type Actor } from './session';
import { accountKey, recordAttempt, throttleWait } from './throttle';
import { findUsableToken, issueUserToken, markTokenUsed } from './user-tokens';
import type { FieldErrors } from '../result';

export type SignInResult =
	| { ok: true; token: string; actor: Actor }
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/**
 * Checks an email and password. Unknown, invited, deactivated and wrong-password accounts get
 * the same answer after the same work (a full argon2 verification), so the answer does not
 * tell anyone which email addresses have accounts.
 */
export async function signIn(
	db: Db,
	input: { email: string; password: string; address: string },
	now = new Date()
): Promise<SignInResult> {
	const account = accountKey(input.email);
	const user = await findUserByEmail(db, input.email);
	const wait = await throttleWait(db, account, input.address, now);
	if (wait > 0) {
		await insertAuditEvent(db, {
			actorId: user?.id ?? null,
			action: 'sign_in.throttled',
			entityType: 'user',
			entityId: user?.id,
			address: input.address
		});
		return { ok: false, reason: 'throttled', retryAfterSeconds: Math.ceil(wait / 1000) };
	}
	const usable = user && user.status === 'active' && user.password_hash;
	const valid = usable
		? await verifyPassword(user.password_hash!, input.password)
		: await verifyAgainstDummy(input.password);
	await recordAttempt(db, account, input.address, valid, now);
	if (!valid || !user) {
		await insertAuditEvent(db, {
			actorId: user?.id ?? null,
			action: 'sign_in.failed',
			entityType: user ? 'user' : undefined,
			entityId: user?.id,
			detail: { reason: !user ? 'unknown_account' : user.status !== 'active' ? `account_${user.status}` : 'wrong_password' },
			address: input.address
		});
		return { ok: false, reason: 'invalid' };
	}
	const token = await createSession(db, user.id, now);
	await insertAuditEvent(db, {
		actorId: user.id,
		action: 'sign_in.succeeded',
		entityType: 'user',
		entityId: user.id,
		address: input.address
	});
	return {
		ok: true,
		token,
		actor: { id: user.id, email: user.email, name: user.name, role: user.role, schoolId: user.school_id }
	};
}

export async function signOut(db: Db, actor: Actor, token: string, address: string): Promise<void> {
	await invalidateSession(db, token);
	await insertAuditEvent(db, { actorId: actor.id, action: 'sign_out', entityType: 'user', entityId: actor.id, address });
}

/**
 * Emails a one-time link valid for an hour to an active account. Whether or not the address has
 * an account, the caller shows the same page.
 */
export async function requestPasswordReset(db: Db, email: string, origin: string, address: string): Promise<void> {
	const user = await findUserByEmail(db, email);
	if (!user || user.status !== 'active') {
		await insertAuditEvent(db, { actorId: null, action: 'password_reset.requested', detail: { known: false }, address });
		return;
	}
	const token = await withTransaction(db, async (trx) => {
		const token = await issueUserToken(trx, user.id, 'password_reset');
		await insertAuditEvent(trx, {
			actorId: user.id,
			action: 'password_reset.requested',
			entityType: 'user',
			entityId: user.id,
			address
		});
		return token;
	});
	await sendEmail(db, {
		to: user.email,
		subject: 'Reset your Youth Programmes Tracker password',
		text:
			`Hello ${user.name},\n\nSomeone asked to reset the password for your Youth Programmes Tracker account.\n\n` +
			`To choose a new password, open this link within 1 hour:\n${origin}/reset-password/${token}\n\n` +
			'If you did not ask for this, you can ignore this email: your password has not changed.\n\n' +
			'Dover District Safer Stronger Communities Partnership'
	});
}

export type PasswordLinkResult =
	| { ok: true; userId: string; sessionToken?: string }
	| { ok: false; reason: 'invalid_link' }
	| { ok: false; reason: 'invalid_input'; errors: FieldErrors };

function passwordPairErrors(password: string, confirm: string, field = 'password'): FieldErrors {
	const problem = passwordProblem(password);
	if (problem) return { [field]: problem };
	if (password !== confirm) return { confirmPassword: 'Passwords must match' };
	return {};
}

/** Sets a new password from a reset link; every session of that user ends. */
export async function resetPassword(
	db: Db,
	input: { token: string; password: string; confirmPassword: string; address: string }
): Promise<PasswordLinkResult> {
	const errors = passwordPairErrors(input.password, input.confirmPassword);
	if (Object.keys(errors).length > 0) {
		return (await findUsableToken(db, input.token, 'password_reset'))
			? { ok: false, reason: 'invalid_input', errors }
			: { ok: false, reason: 'invalid_link' };
	}
	const passwordHash = await hashPassword(input.password);
	return withTransaction(db, async (trx) => {
		const link = await findUsableToken(trx, input.token, 'password_reset');
		if (!link) return { ok: false, reason: 'invalid_link' } as const;
		await updateUser(trx, link.user_id, { password_hash: passwordHash });
		await markTokenUsed(trx, link.token_id);
		await invalidateUserSessions(trx, link.user_id);
		await insertAuditEvent(trx, {
			actorId: link.user_id,
			action: 'password.reset',
			entityType: 'user',
			entityId: link.user_id,
			address: input.address
		});
		return { ok: true, userId: link.user_id } as const;
	});
}

/** Whether a link still works, so its page can say so before anyone types a password. */
export async function isLinkUsable(db: Db, token: string, purpose: 'invitation' | 'password_reset') {
	return Boolean(await findUsableToken(db, token, purpose));
}

/** Accepts an invitation: sets the first password, activates the account and signs the user in. */
export async function acceptInvitation(
	db: Db,
	input: { token: string; password: string; confirmPassword: string; address: string }
): Promise<PasswordLinkResult> {
	const errors = passwordPairErrors(input.password, input.confirmPassword);
	if (Object.keys(errors).length > 0) {
		return (await findUsableToken(db, input.token, 'invitation'))
			? { ok: false, reason: 'invalid_input', errors }
			: { ok: false, reason: 'invalid_link' };
	}
	const passwordHash = await hashPassword(input.password);
	return withTransaction(db, async (trx) => {
		const link = await findUsableToken(trx, input.token, 'invitation');
		if (!link) return { ok: false, reason: 'invalid_link' } as const;
		await updateUser(trx, link.user_id, { password_hash: passwordHash, status: 'active' });
		await markTokenUsed(trx, link.token_id);
		await insertAuditEvent(trx, {
			actorId: link.user_id,
			action: 'invitation.accepted',
			entityType: 'user',
			entityId: link.user_id,
			address: input.address
		});
		const sessionToken = await createSession(trx, link.user_id);
		return { ok: true, userId: link.user_id, sessionToken } as const;
	});
}

/** Changes the signed-in user's password: all their sessions end, and this browser gets a new one. */
export async function changePassword(
	db: Db,
	actor: Actor,
	input: { currentPassword: string; password: string; confirmPassword: string; address: string }
): Promise<{ ok: true; sessionToken: string } | { ok: false; errors: FieldErrors }> {
	// Guesses at the current password count against the account like failed sign-ins.
	const account = accountKey(actor.email);
	const wait = await throttleWait(db, account, input.address);
	if (wait > 0) {
		const minutes = Math.ceil(wait / 60_000);
		return { ok: false, errors: { currentPassword: `Too many attempts. Wait ${minutes} minute${minutes === 1 ? '' : 's'} before you try again.` } };
	}
	const user = await findUserWithPassword(db, actor.id);
	if (!user?.password_hash || !(await verifyPassword(user.password_hash, input.currentPassword))) {
		await recordAttempt(db, account, input.address, false);
		return { ok: false, errors: { currentPassword: 'Your current password is not right' } };
	}
	const errors = passwordPairErrors(input.password, input.confirmPassword);
	if (Object.keys(errors).length > 0) return { ok: false, errors };
	const passwordHash = await hashPassword(input.password);
	const sessionToken = await withTransaction(db, async (trx) => {
		await updateUser(trx, actor.id, { password_hash: passwordHash });
		await invalidateUserSessions(trx, actor.id);
		await insertAuditEvent(trx, {
			actorId: actor.id,
			action: 'password.changed',
			entityType: 'user',
			entityId: actor.id,
			address: input.address
		});
		return createSession(trx, actor.id);
	});
	return { ok: true, sessionToken };
}

