import { withTransaction, type Db } from '../db';
import { insertAuditEvent } from '../audit/audit.queries';
import { findUser, findUserSecondFactor, updateTotpStepIfNewer, updateUserSecondFactor } from '../users/users.queries';
import { invalid, invalidField, notFound, ok, refused, type Failure, type Result } from '../result';
import { deleteUserSessions } from './auth.queries';
import { authoriseUsers } from './policy';
import {
	countUnusedRecoveryCodes,
	deleteRecoveryCodes,
	deleteRememberedDevices,
	findRememberedDevice,
	insertRecoveryCodes,
	insertRememberedDevice,
	updateRecoveryCodeUsed
} from './second-factor.queries';
import { mustUseSecondFactor } from './second-factor-required';
import { createSession, invalidateSession, type Actor } from './session';
import { attemptSucceeded, beginAttempt } from './throttle';
import { generateToken, hashToken } from './tokens';
import { groupedKey, hashRecoveryCode, isTotpKey, looksLikeRecoveryCode, matchingStep, newRecoveryCodes, newTotpKey, normaliseCode, totpKeyUri } from './totp';

// The second factor: setting it up, asking for its code after the password, turning it off,
// and an admin's reset. Keys, codes and device tokens are never logged nor put in audit rows.

/** A device the user asks to remember skips the code for this long, at most. */
export const REMEMBER_DEVICE_MS = 30 * 24 * 60 * 60 * 1000;

const ENTER_CODE = 'Enter the 6-digit code from your authenticator app';
const WRONG_CODE = 'The code is not right. Enter the code your authenticator app shows now';

/** Guesses at codes are counted per user apart from passwords, so a right password does not start their count again. */
function secondFactorAccount(userId: string): string {
	return hashToken(`second-factor:${userId}`);
}

function inMinutes(ms: number): string {
	const minutes = Math.ceil(ms / 60_000);
	return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

const throttled = (wait: number) => refused('throttled', `Too many wrong codes. Wait ${inMinutes(wait)} before you try again.`, 'code');

/** A new key to set up, with what the set-up page shows of it. */
export function newSecondFactorKey(actor: Pick<Actor, 'email'>): { key: string; grouped: string; uri: string } {
	const key = newTotpKey();
	return { key, grouped: groupedKey(key), uri: totpKeyUri(actor.email, key) };
}

/** The set-up page's view of a key the form sent back (after a wrong code, say). */
export function describeSecondFactorKey(actor: Pick<Actor, 'email'>, key: string): { key: string; grouped: string; uri: string } | null {
	return isTotpKey(key) ? { key, grouped: groupedKey(key), uri: totpKeyUri(actor.email, key) } : null;
}

export async function secondFactorStatus(db: Db, actor: Actor) {
	const user = await findUserSecondFactor(db, actor.id);
	const enabledAt = user?.totp_enabled_at ?? null;
	return {
		enabledAt,
		required: mustUseSecondFactor(actor.role),
		recoveryCodesLeft: enabledAt ? await countUnusedRecoveryCodes(db, actor.id) : 0
	};
}

/**
 * Sets up a second factor from a key the set-up page showed and a code the user's app made
 * from it, which proves the app has the key. Gives ten recovery codes, shown once, and a new
 * session token: the session that set it up (half signed in, or a school contact's) is
 * replaced, and every other session of the user ends.
 */
export async function setUpSecondFactor(
	db: Db,
	actor: Actor,
	input: { key: string; code: string; address: string; sessionToken: string | null },
	now = new Date()
): Promise<Result<{ recoveryCodes: string[]; sessionToken: string }>> {
	if (!isTotpKey(input.key)) return refused('invalid_key', 'Start setting up again: the key was not recognised', 'code');
	const code = normaliseCode(input.code);
	if (!/^\d{6}$/.test(code)) return invalid({ code: code ? 'The code must be 6 digits' : ENTER_CODE });
	const attempt = await beginAttempt(db, secondFactorAccount(actor.id), input.address, now);
	if (attempt.wait > 0) return throttled(attempt.wait);
	const step = matchingStep(input.key, code, now);
	if (step === null) {
		await insertAuditEvent(db, { actorId: actor.id, action: 'mfa.set_up_failed', entityType: 'user', entityId: actor.id, address: input.address });
		return invalidField('code', WRONG_CODE);
	}
	await attemptSucceeded(db, attempt);
	const recoveryCodes = newRecoveryCodes();
	const sessionToken = await withTransaction(db, async (trx) => {
		await updateUserSecondFactor(trx, actor.id, { secret: input.key, step }, now);
		await deleteRecoveryCodes(trx, actor.id);
		await insertRecoveryCodes(trx, actor.id, recoveryCodes.map(hashRecoveryCode));
		await deleteRememberedDevices(trx, actor.id);
		await deleteUserSessions(trx, actor.id);
		await insertAuditEvent(trx, { actorId: actor.id, action: 'mfa.set_up', entityType: 'user', entityId: actor.id, address: input.address });
		return createSession(trx, actor.id, now);
	});
	if (input.sessionToken) await invalidateSession(db, input.sessionToken);
	return ok({ recoveryCodes, sessionToken });
}

type CodeCheck = { ok: true; used: 'totp' | 'recovery_code'; left?: number } | { ok: false; failure: Failure };

/** Checks a code or a recovery code, counted as an attempt first; a recovery code is used up. */
async function checkCode(db: Db, actor: Actor, typed: string, address: string, now: Date): Promise<CodeCheck> {
	const code = normaliseCode(typed);
	if (!code) return { ok: false, failure: invalid({ code: `${ENTER_CODE}, or a recovery code` }) };
	const attempt = await beginAttempt(db, secondFactorAccount(actor.id), address, now);
	if (attempt.wait > 0) {
		await insertAuditEvent(db, { actorId: actor.id, action: 'mfa.throttled', entityType: 'user', entityId: actor.id, address });
		return { ok: false, failure: throttled(attempt.wait) };
	}
	const user = await findUserSecondFactor(db, actor.id);
	if (!user?.totp_secret) return { ok: false, failure: refused('not_set_up', 'Your second factor has been reset. Sign in again to set it up.', 'code') };
	let result: CodeCheck | undefined;
	if (looksLikeRecoveryCode(code)) {
		if (await updateRecoveryCodeUsed(db, actor.id, hashRecoveryCode(code), now)) {
			const left = await countUnusedRecoveryCodes(db, actor.id);
			await insertAuditEvent(db, { actorId: actor.id, action: 'mfa.recovery_code_used', entityType: 'user', entityId: actor.id, detail: { left }, address });
			result = { ok: true, used: 'recovery_code', left };
		}
	} else {
		const step = matchingStep(user.totp_secret, code, now);
		if (step !== null && (await updateTotpStepIfNewer(db, actor.id, step))) result = { ok: true, used: 'totp' };
		else if (step !== null) {
			await insertAuditEvent(db, { actorId: actor.id, action: 'mfa.code_replayed', entityType: 'user', entityId: actor.id, address });
			return { ok: false, failure: invalidField('code', 'This code has been used already. Wait for your app to show a new code') };
		}
	}
	if (!result) {
		await insertAuditEvent(db, { actorId: actor.id, action: 'mfa.code_failed', entityType: 'user', entityId: actor.id, address });
		return { ok: false, failure: invalidField('code', WRONG_CODE) };
	}
	await attemptSucceeded(db, attempt);
	return result;
}

/**
 * The second step of signing in: the code (or a recovery code) of a user whose password was
 * right. The half-signed-in session is replaced by a full one; asked to, the device is
 * remembered so it skips the code for 30 days (a token for its cookie, stored hashed).
 */
export async function completeSecondFactor(
	db: Db,
	pending: Actor,
	input: { code: string; remember: boolean; address: string; sessionToken: string },
	now = new Date()
): Promise<Result<{ sessionToken: string; deviceToken: string | null; recoveryCodesLeft: number | null }>> {
	const check = await checkCode(db, pending, input.code, input.address, now);
	if (!check.ok) return check.failure;
	return withTransaction(db, async (trx) => {
		await invalidateSession(trx, input.sessionToken);
		const sessionToken = await createSession(trx, pending.id, now);
		let deviceToken: string | null = null;
		if (input.remember) {
			deviceToken = generateToken();
			await insertRememberedDevice(trx, { id: hashToken(deviceToken), userId: pending.id, expiresAt: new Date(now.getTime() + REMEMBER_DEVICE_MS) });
		}
		await insertAuditEvent(trx, {
			actorId: pending.id,
			action: 'sign_in.second_factor',
			entityType: 'user',
			entityId: pending.id,
			detail: { used: check.used, remembered: input.remember },
			address: input.address
		});
		return ok({ sessionToken, deviceToken, recoveryCodesLeft: check.used === 'recovery_code' ? (check.left ?? 0) : null });
	});
}

/** Whether this browser's remembered-device token lets the user skip the code now. */
export async function isRememberedDevice(db: Db, userId: string, deviceToken: string | null | undefined, now = new Date()): Promise<boolean> {
	if (!deviceToken) return false;
	return Boolean(await findRememberedDevice(db, hashToken(deviceToken), userId, now));
}

async function clearSecondFactor(db: Db, userId: string, now: Date): Promise<void> {
	await updateUserSecondFactor(db, userId, null, now);
	await deleteRecoveryCodes(db, userId);
	await deleteRememberedDevices(db, userId);
}

/** A school contact (when REQUIRE_MFA is not `all`) may turn their second factor off, with a code. */
export async function turnOffSecondFactor(db: Db, actor: Actor, input: { code: string; address: string }, now = new Date()): Promise<Result> {
	if (mustUseSecondFactor(actor.role)) return refused('required', 'Your account must have a second factor', 'code');
	const check = await checkCode(db, actor, input.code, input.address, now);
	if (!check.ok) return check.failure;
	await withTransaction(db, async (trx) => {
		await clearSecondFactor(trx, actor.id, now);
		await insertAuditEvent(trx, { actorId: actor.id, action: 'mfa.disabled', entityType: 'user', entityId: actor.id, address: input.address });
	});
	return ok();
}

/**
 * An admin resets another user's second factor (a lost phone, say): the key, recovery codes,
 * remembered devices and sessions go, and the user sets it up again when they next sign in.
 */
export async function resetSecondFactor(db: Db, admin: Actor, userId: string, now = new Date()): Promise<Result> {
	await authoriseUsers(db, admin, userId);
	if (!(await findUser(db, userId))) notFound();
	await withTransaction(db, async (trx) => {
		await clearSecondFactor(trx, userId, now);
		await deleteUserSessions(trx, userId);
		await insertAuditEvent(trx, { actorId: admin.id, action: 'mfa.reset', entityType: 'user', entityId: userId, address: admin.address });
	});
	return ok();
}
