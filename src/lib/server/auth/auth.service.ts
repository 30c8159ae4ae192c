import { withTransaction, type Db } from '../db';
import { insertAuditEvent } from '../audit/audit.queries';
import { queueEmail } from '../email/email';
import { findUserByEmail, findUserWithPassword, updateUser } from '../users/users.queries';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './password';
import { deleteSignInAttempt, deleteUnusedTokensFor, deleteUserSessions, updateTokenUsed } from './auth.queries';
import { createSession, invalidateSession, type Actor } from './session';
import { accountKey, attemptSucceeded, beginAttempt, countRequest, RESET_LIMITS } from './throttle';
import { log } from '../log';
import { findUsableToken, issueUserToken } from './user-tokens';
import { hashToken } from './tokens';
import { deleteRememberedDevices, findRememberedDevice } from './second-factor.queries';
import { findUserSecondFactor } from '../users/users.queries';
import { emailProblem } from '../forms';
import { hasErrors, invalid, invalidField, ok, refused, type Result } from '../result';
import { newPasswordErrors, signInErrors, type NewPasswordValues, type SignInValues } from './auth.schema';

function inMinutes(ms: number): string {
	const minutes = Math.ceil(ms / 60_000);
	return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/**
 * Checks an email and password. Unknown, invited, deactivated and wrong-password accounts get
 * the same answer after the same work (a full argon2 verification), so the answer does not
 * tell anyone which email addresses have accounts.
 */
export async function signIn(
	db: Db,
	input: SignInValues & { address: string; rememberedDevice?: string | null },
	now = new Date()
): Promise<Result<{ token: string; actor: Actor; secondFactor: 'code' | null }>> {
	const errors = signInErrors(input);
	if (hasErrors(errors)) return invalid(errors);
	const account = accountKey(input.email);
	const user = await findUserByEmail(db, input.email);
	const attempt = await beginAttempt(db, account, input.address, now);
	if (attempt.wait > 0) {
		await insertAuditEvent(db, {
			actorId: user?.id ?? null,
			action: 'sign_in.throttled',
			entityType: 'user',
			entityId: user?.id,
			address: input.address
		});
		return refused('throttled', `Too many attempts to sign in. Wait ${inMinutes(attempt.wait)} before you try again.`, 'email');
	}
	const usable = user && user.status === 'active' && user.password_hash;
	const valid = usable ? await verifyPassword(user.password_hash!, input.password) : await verifyAgainstDummy(input.password);
	if (valid) await attemptSucceeded(db, attempt);
	if (!valid || !user) {
		await insertAuditEvent(db, {
			actorId: user?.id ?? null,
			action: 'sign_in.failed',
			entityType: user ? 'user' : undefined,
			entityId: user?.id,
			detail: { reason: !user ? 'unknown_account' : user.status !== 'active' ? `account_${user.status}` : 'wrong_password' },
			address: input.address
		});
		return refused('invalid_credentials', 'Enter a correct email address and password', 'email');
	}
	// With a second factor, the session is only half signed in until its code is given, unless
	// this browser was remembered (auth/second-factor.service.ts).
	const hasSecondFactor = Boolean((await findUserSecondFactor(db, user.id))?.totp_enabled_at);
	const remembered = hasSecondFactor && input.rememberedDevice ? await findRememberedDevice(db, hashToken(input.rememberedDevice), user.id, now) : undefined;
	const secondFactor = hasSecondFactor && !remembered ? 'code' : null;
	const token = await createSession(db, user.id, now, { secondFactorPending: secondFactor === 'code' });
	await insertAuditEvent(db, {
		actorId: user.id,
		action: 'sign_in.succeeded',
		entityType: 'user',
		entityId: user.id,
		...(hasSecondFactor ? { detail: { second_factor: remembered ? 'remembered_device' : 'pending' } } : {}),
		address: input.address
	});
	return ok({ token, secondFactor, actor: { id: user.id, email: user.email, name: user.name, role: user.role, schoolId: user.school_id } });
}

export async function signOut(db: Db, actor: Actor, token: string, address: string): Promise<void> {
	await invalidateSession(db, token);
	await insertAuditEvent(db, { actorId: actor.id, action: 'sign_out', entityType: 'user', entityId: actor.id, address });
}

/** Password resets asked for and not yet written: the answer does not wait for them. */
const resetsUnderWay = new Set<Promise<void>>();

/** Resolves when every password reset asked for so far has been written (tests, and stopping). */
export async function passwordResetsWritten(): Promise<void> {
	await Promise.all([...resetsUnderWay]);
}

/**
 * Asks for a one-time link, valid for an hour, for an active account. Limited per email typed and
 * per address (RESET_LIMITS). Whether or not the address has an account, the answer is the same
 * and comes after the same work: the request is counted, and the lookup, the link and its email
 * happen after the answer (sendPasswordReset), so its timing cannot tell who has an account.
 */
export async function requestPasswordReset(db: Db, email: string, origin: string, address: string, now = new Date()): Promise<Result> {
	const problem = emailProblem(email);
	if (problem) return invalidField('email', problem);
	const { wait } = await countRequest(db, RESET_LIMITS, email, address, now);
	if (wait > 0) {
		await insertAuditEvent(db, { actorId: null, action: 'password_reset.throttled', address });
		return refused('throttled', `Too many requests for a link. Wait ${inMinutes(wait)} before you try again.`, 'email');
	}
	// Started after this answer's work is done (setImmediate), so nothing of it is in the answer's time.
	const written = new Promise((started) => setImmediate(started))
		.then(() => sendPasswordReset(db, email, origin, address))
		.catch((error: unknown) => {
			log.error({ stack: error instanceof Error ? error.stack : String(error) }, 'A password reset could not be written');
		});
	resetsUnderWay.add(written);
	void written.finally(() => resetsUnderWay.delete(written));
	return ok();
}

/** Writes a password reset: for an active account, its link and the email that carries it; for any other, an audit row. */
export async function sendPasswordReset(db: Db, email: string, origin: string, address: string): Promise<void> {
	const user = await findUserByEmail(db, email);
	if (!user || user.status !== 'active') {
		await insertAuditEvent(db, { actorId: null, action: 'password_reset.requested', detail: { known: false }, address });
		return;
	}
	await withTransaction(db, async (trx) => {
		const token = await issueUserToken(trx, user.id, 'password_reset');
		await insertAuditEvent(trx, {
			actorId: user.id,
			action: 'password_reset.requested',
			entityType: 'user',
			entityId: user.id,
			address
		});
		await queueEmail(trx, {
			to: user.email,
			subject: 'Reset your Youth Programmes Tracker password',
			text:
				`Hello ${user.name},\n\nSomeone asked to reset the password for your Youth Programmes Tracker account.\n\n` +
				`To choose a new password, open this link within 1 hour:\n${origin}/reset-password/${token}\n\n` +
				'If you did not ask for this, you can ignore this email: your password has not changed.\n\n' +
				'Dover District Safer Stronger Communities Partnership'
		});
	});
}

/** A one-time link that has expired, has been used, or never was. */
const unusableLink = () => refused('invalid_link', 'This link has expired or has already been used');

/** Sets a new password from a reset link; every session of that user ends. */
export async function resetPassword(db: Db, input: NewPasswordValues & { token: string; address: string }): Promise<Result<{ userId: string }>> {
	const errors = newPasswordErrors(input);
	if (hasErrors(errors)) {
		return (await findUsableToken(db, input.token, 'password_reset')) ? invalid(errors) : unusableLink();
	}
	const passwordHash = await hashPassword(input.password);
	return withTransaction(db, async (trx) => {
		const link = await findUsableToken(trx, input.token, 'password_reset');
		if (!link) return unusableLink();
		await updateUser(trx, link.user_id, { password_hash: passwordHash });
		await updateTokenUsed(trx, link.token_id);
		// Any other reset link sent before this one stops working with the old password.
		await deleteUnusedTokensFor(trx, link.user_id, 'password_reset');
		await deleteUserSessions(trx, link.user_id);
		await deleteRememberedDevices(trx, link.user_id);
		await insertAuditEvent(trx, {
			actorId: link.user_id,
			action: 'password.reset',
			entityType: 'user',
			entityId: link.user_id,
			address: input.address
		});
		return ok({ userId: link.user_id });
	});
}

/** Whether a link still works, so its page can say so before anyone types a password. */
export async function isLinkUsable(db: Db, token: string, purpose: 'invitation' | 'password_reset') {
	return Boolean(await findUsableToken(db, token, purpose));
}

/** Accepts an invitation: sets the first password, activates the account and signs the user in. */
export async function acceptInvitation(
	db: Db,
	input: NewPasswordValues & { token: string; address: string }
): Promise<Result<{ userId: string; sessionToken: string }>> {
	const errors = newPasswordErrors(input);
	if (hasErrors(errors)) {
		return (await findUsableToken(db, input.token, 'invitation')) ? invalid(errors) : unusableLink();
	}
	const passwordHash = await hashPassword(input.password);
	return withTransaction(db, async (trx) => {
		const link = await findUsableToken(trx, input.token, 'invitation');
		if (!link) return unusableLink();
		await updateUser(trx, link.user_id, { password_hash: passwordHash, status: 'active' });
		await updateTokenUsed(trx, link.token_id);
		await insertAuditEvent(trx, {
			actorId: link.user_id,
			action: 'invitation.accepted',
			entityType: 'user',
			entityId: link.user_id,
			address: input.address
		});
		const sessionToken = await createSession(trx, link.user_id);
		return ok({ userId: link.user_id, sessionToken });
	});
}

/** Changes the signed-in user's password: all their sessions end, and this browser gets a new one. */
export async function changePassword(
	db: Db,
	actor: Actor,
	input: NewPasswordValues & { currentPassword: string; address: string }
): Promise<Result<{ sessionToken: string }>> {
	// Guesses at the current password count against the account like failed sign-ins.
	const account = accountKey(actor.email);
	const attempt = await beginAttempt(db, account, input.address);
	if (attempt.wait > 0) {
		return refused('throttled', `Too many attempts. Wait ${inMinutes(attempt.wait)} before you try again.`, 'currentPassword');
	}
	const user = await findUserWithPassword(db, actor.id);
	if (!user?.password_hash || !(await verifyPassword(user.password_hash, input.currentPassword))) {
		await insertAuditEvent(db, {
			actorId: actor.id,
			action: 'password_change.wrong_current_password',
			entityType: 'user',
			entityId: actor.id,
			address: input.address
		});
		return invalidField('currentPassword', 'Your current password is not right');
	}
	// A right current password is not a sign-in: the account's count carries on as it was.
	await deleteSignInAttempt(db, attempt.id);
	const errors = newPasswordErrors(input);
	if (hasErrors(errors)) return invalid(errors);
	const passwordHash = await hashPassword(input.password);
	const sessionToken = await withTransaction(db, async (trx) => {
		await updateUser(trx, actor.id, { password_hash: passwordHash });
		// A reset link asked for before the change would undo it: it stops working now.
		await deleteUnusedTokensFor(trx, actor.id, 'password_reset');
		await deleteUserSessions(trx, actor.id);
		await deleteRememberedDevices(trx, actor.id);
		await insertAuditEvent(trx, {
			actorId: actor.id,
			action: 'password.changed',
			entityType: 'user',
			entityId: actor.id,
			address: input.address
		});
		return createSession(trx, actor.id);
	});
	return ok({ sessionToken });
}
