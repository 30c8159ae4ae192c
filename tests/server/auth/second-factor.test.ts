import { describe, expect, it } from 'vitest';
import { changePassword, signIn } from '../../../src/lib/server/auth/auth.service';
import {
	completeSecondFactor,
	isRememberedDevice,
	newSecondFactorKey,
	resetSecondFactor,
	setUpSecondFactor,
	turnOffSecondFactor
} from '../../../src/lib/server/auth/second-factor.service';
import { mustUseSecondFactor } from '../../../src/lib/server/auth/second-factor-required';
import { createSession, validateSessionToken } from '../../../src/lib/server/auth/session';
import { ACCOUNT_LIMIT } from '../../../src/lib/server/auth/throttle';
import { hashRecoveryCode, matchingStep, totpCode } from '../../../src/lib/server/auth/totp';
import { demoTotpKey } from '../../../src/lib/server/demo/demo-second-factor';
import { useTestDatabase } from '../../support/database';
import { actorFor, auditEvents, makeActor, makeUser, PASSWORD } from '../../support/factories';

const t = useTestDatabase();
const address = '198.51.100.9';
const start = new Date('2026-03-02T09:00:00Z');
const seconds = (n: number) => n * 1000;
const at = (ms: number) => new Date(start.getTime() + ms);
const DAY = 86_400_000;

/** A user with a second factor set up at `start`, and what setting it up gave. */
async function withSecondFactor(role: 'admin' | 'lead' | 'viewer' | 'school' = 'lead') {
	const user = await makeUser(t.db, { role });
	const actor = actorFor(user);
	const { key } = newSecondFactorKey(actor);
	const setUp = await setUpSecondFactor(t.db, actor, { key, code: totpCode(key, start), address, sessionToken: null }, start);
	if (!setUp.ok) throw new Error(`set-up failed: ${JSON.stringify(setUp)}`);
	return { user, actor, key, recoveryCodes: setUp.recoveryCodes };
}

/** Signs in with the password at `now`; the pending session's token. */
async function passwordStep(email: string, now: Date, rememberedDevice?: string | null) {
	const result = await signIn(t.db, { email, password: PASSWORD, address, rememberedDevice }, now);
	if (!result.ok) throw new Error('password refused');
	return result;
}

describe('TOTP codes', () => {
	it('accepts the code of this step and the steps either side, and nothing further', () => {
		const key = demoTotpKey('admin@demo.test');
		const now = new Date('2026-03-02T09:00:10Z');
		const step = Math.floor(now.getTime() / 30_000);
		expect(matchingStep(key, totpCode(key, now), now)).toBe(step);
		expect(matchingStep(key, totpCode(key, now, -1), now)).toBe(step - 1);
		expect(matchingStep(key, totpCode(key, now, 1), now)).toBe(step + 1);
		expect(matchingStep(key, totpCode(key, now, -2), now)).toBeNull();
		expect(matchingStep(key, '12345', now)).toBeNull();
	});

	it('gives the RFC 6238 test vector for SHA-1 at 59 seconds', () => {
		// RFC 6238 appendix B: key "12345678901234567890", T = 59 s, 8 digits 94287082; 6 digits are its last six.
		const key = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
		expect(totpCode(key, new Date(59_000))).toBe('287082');
	});
});

describe('setting up a second factor', () => {
	it('refuses a wrong code and keeps nothing', async () => {
		const actor = await makeActor(t.db, { role: 'lead' });
		const { key } = newSecondFactorKey(actor);
		const wrong = String((Number(totpCode(key, start)) + 1) % 1_000_000).padStart(6, '0');
		const result = await setUpSecondFactor(t.db, actor, { key, code: wrong, address, sessionToken: null }, start);
		expect(result).toMatchObject({ ok: false, code: 'invalid', errors: { code: expect.stringContaining('not right') } });
		const row = await t.db.selectFrom('app_user').select(['totp_secret', 'totp_enabled_at']).where('id', '=', actor.id).executeTakeFirstOrThrow();
		expect(row).toEqual({ totp_secret: null, totp_enabled_at: null });
	});

	it('keeps the key, ten recovery codes by hash only, and audits without the key or codes', async () => {
		const { user, key, recoveryCodes } = await withSecondFactor();
		expect(recoveryCodes).toHaveLength(10);
		expect(new Set(recoveryCodes).size).toBe(10);
		const stored = await t.db.selectFrom('second_factor_recovery_code').select('code_hash').where('user_id', '=', user.id).execute();
		expect(stored.map((r) => r.code_hash).sort()).toEqual(recoveryCodes.map(hashRecoveryCode).sort());
		const audits = await auditEvents(t.db, 'mfa.set_up');
		expect(audits).toHaveLength(1);
		const text = JSON.stringify(await auditEvents(t.db));
		expect(text).not.toContain(key);
		for (const code of recoveryCodes) expect(text).not.toContain(code);
	});

	it('ends the session that set it up and every other one, and gives a new one', async () => {
		const user = await makeUser(t.db, { role: 'viewer' });
		const old = await createSession(t.db, user.id, start);
		expect((await validateSessionToken(t.db, old, start))?.secondFactor).toBe('set_up');
		const { key } = newSecondFactorKey(actorFor(user));
		const result = await setUpSecondFactor(t.db, actorFor(user), { key, code: totpCode(key, start), address, sessionToken: old }, start);
		if (!result.ok) throw new Error('set-up failed');
		expect(await validateSessionToken(t.db, old, start)).toBeNull();
		expect((await validateSessionToken(t.db, result.sessionToken, start))?.secondFactor).toBeNull();
	});
});

describe('signing in with a second factor', () => {
	it('leaves the session half signed in until the code is given, then replaces it', async () => {
		const { user, key } = await withSecondFactor();
		const now = at(seconds(60));
		const first = await passwordStep(user.email, now);
		expect(first.secondFactor).toBe('code');
		expect((await validateSessionToken(t.db, first.token, now))?.secondFactor).toBe('code');
		const done = await completeSecondFactor(t.db, actorFor(user), { code: totpCode(key, now), remember: false, address, sessionToken: first.token }, now);
		if (!done.ok) throw new Error(JSON.stringify(done));
		expect(await validateSessionToken(t.db, first.token, now)).toBeNull();
		expect((await validateSessionToken(t.db, done.sessionToken, now))?.secondFactor).toBeNull();
		expect(done.deviceToken).toBeNull();
	});

	it('refuses a code used already, even within its 30 seconds', async () => {
		const { user, key } = await withSecondFactor();
		const now = at(seconds(60));
		const code = totpCode(key, now);
		const one = await passwordStep(user.email, now);
		expect((await completeSecondFactor(t.db, actorFor(user), { code, remember: false, address, sessionToken: one.token }, now)).ok).toBe(true);
		const two = await passwordStep(user.email, at(seconds(65)));
		const replay = await completeSecondFactor(t.db, actorFor(user), { code, remember: false, address, sessionToken: two.token }, at(seconds(65)));
		expect(replay).toMatchObject({ ok: false, errors: { code: expect.stringContaining('used already') } });
		// An earlier step's code is refused too once a later one was accepted.
		const earlier = totpCode(key, at(seconds(30)));
		const old = await completeSecondFactor(t.db, actorFor(user), { code: earlier, remember: false, address, sessionToken: two.token }, at(seconds(65)));
		expect(old.ok).toBe(false);
		expect(await auditEvents(t.db, 'mfa.code_replayed')).not.toHaveLength(0);
	});

	it('refuses the code set-up was proved with', async () => {
		const { user, key } = await withSecondFactor();
		const pending = await passwordStep(user.email, at(seconds(5)));
		const again = await completeSecondFactor(
			t.db,
			actorFor(user),
			{ code: totpCode(key, start), remember: false, address, sessionToken: pending.token },
			at(seconds(5))
		);
		expect(again.ok).toBe(false);
	});

	it('throttles wrong codes like passwords, counting each before it is checked, apart from the password count', async () => {
		const { user, key } = await withSecondFactor();
		const now = at(seconds(120));
		const pending = await passwordStep(user.email, now);
		for (let i = 0; i < ACCOUNT_LIMIT; i++) {
			const wrong = await completeSecondFactor(
				t.db,
				actorFor(user),
				{ code: '000000', remember: false, address, sessionToken: pending.token },
				at(seconds(121 + i))
			);
			expect(wrong).toMatchObject({ ok: false, code: 'invalid' });
		}
		// A right password does not start the count of codes again.
		const again = await passwordStep(user.email, at(seconds(130)));
		const right = totpCode(key, at(seconds(131)));
		const refused = await completeSecondFactor(t.db, actorFor(user), { code: right, remember: false, address, sessionToken: again.token }, at(seconds(131)));
		expect(refused).toMatchObject({ ok: false, code: 'refused', reason: 'throttled' });
		expect(await auditEvents(t.db, 'mfa.throttled')).toHaveLength(1);
		expect(await auditEvents(t.db, 'mfa.code_failed')).toHaveLength(ACCOUNT_LIMIT);
		// Fifteen minutes after the first failure, a right code goes through.
		const later = at(seconds(121) + 15 * 60_000 + 1000);
		const ok = await completeSecondFactor(t.db, actorFor(user), { code: totpCode(key, later), remember: false, address, sessionToken: again.token }, later);
		expect(ok.ok).toBe(true);
	});

	it('lets each recovery code through once, and audits its use', async () => {
		const { user, recoveryCodes } = await withSecondFactor();
		const code = recoveryCodes[3]!;
		const one = await passwordStep(user.email, at(seconds(60)));
		const used = await completeSecondFactor(
			t.db,
			actorFor(user),
			{ code: code.toUpperCase().replace('-', ' '), remember: false, address, sessionToken: one.token },
			at(seconds(60))
		);
		expect(used).toMatchObject({ ok: true, recoveryCodesLeft: 9 });
		const two = await passwordStep(user.email, at(seconds(70)));
		const again = await completeSecondFactor(t.db, actorFor(user), { code, remember: false, address, sessionToken: two.token }, at(seconds(70)));
		expect(again).toMatchObject({ ok: false, errors: { code: expect.stringContaining('not right') } });
		const audit = await auditEvents(t.db, 'mfa.recovery_code_used');
		expect(audit).toMatchObject([{ actor_id: user.id, detail: { left: 9 } }]);
		expect(JSON.stringify(audit)).not.toContain(code);
	});

	it('remembers a device for 30 days, and no longer', async () => {
		const { user, key } = await withSecondFactor();
		const now = at(seconds(60));
		const pending = await passwordStep(user.email, now);
		const done = await completeSecondFactor(t.db, actorFor(user), { code: totpCode(key, now), remember: true, address, sessionToken: pending.token }, now);
		if (!done.ok || !done.deviceToken) throw new Error('no device token');
		const stored = await t.db.selectFrom('remembered_device').select(['id', 'expires_at']).where('user_id', '=', user.id).execute();
		expect(stored).toHaveLength(1);
		expect(stored[0]!.id).not.toBe(done.deviceToken);
		expect(stored[0]!.expires_at.getTime() - now.getTime()).toBe(30 * DAY);
		expect((await passwordStep(user.email, new Date(now.getTime() + 29 * DAY), done.deviceToken)).secondFactor).toBeNull();
		expect((await passwordStep(user.email, new Date(now.getTime() + 30 * DAY + 1000), done.deviceToken)).secondFactor).toBe('code');
		// Another user's device token does not let this one skip the code.
		const other = await withSecondFactor();
		expect((await passwordStep(other.user.email, at(seconds(90)), done.deviceToken)).secondFactor).toBe('code');
	});

	it('forgets remembered devices when the password changes', async () => {
		const { user, key } = await withSecondFactor();
		const now = at(seconds(60));
		const pending = await passwordStep(user.email, now);
		const done = await completeSecondFactor(t.db, actorFor(user), { code: totpCode(key, now), remember: true, address, sessionToken: pending.token }, now);
		if (!done.ok) throw new Error('failed');
		expect(await isRememberedDevice(t.db, user.id, done.deviceToken, now)).toBe(true);
		const changed = await changePassword(t.db, actorFor(user), {
			currentPassword: PASSWORD,
			password: 'a brand new passphrase 42',
			confirmPassword: 'a brand new passphrase 42',
			address
		} as never);
		expect(changed.ok).toBe(true);
		expect(await isRememberedDevice(t.db, user.id, done.deviceToken, now)).toBe(false);
	});
});

describe('who must have a second factor', () => {
	it('is admins, leads and viewers; school contacts too when REQUIRE_MFA=all', () => {
		expect(['admin', 'lead', 'viewer', 'school'].map((r) => mustUseSecondFactor(r as 'admin', undefined))).toEqual([true, true, true, false]);
		expect(mustUseSecondFactor('school', 'all')).toBe(true);
		expect(mustUseSecondFactor('school', 'ALL ')).toBe(true);
		expect(mustUseSecondFactor('school', 'roles')).toBe(false);
	});

	it('sends a session of an account that must have one and has none to set it up', async () => {
		const lead = await makeUser(t.db, { role: 'lead' });
		const school = await makeUser(t.db, { role: 'school' });
		const leadSession = await passwordStep(lead.email, start);
		const schoolSession = await passwordStep(school.email, start);
		expect(leadSession.secondFactor).toBeNull();
		expect((await validateSessionToken(t.db, leadSession.token, start))?.secondFactor).toBe('set_up');
		expect((await validateSessionToken(t.db, schoolSession.token, start))?.secondFactor).toBeNull();
		const before = process.env.REQUIRE_MFA;
		process.env.REQUIRE_MFA = 'all';
		try {
			expect((await validateSessionToken(t.db, schoolSession.token, start))?.secondFactor).toBe('set_up');
		} finally {
			if (before === undefined) delete process.env.REQUIRE_MFA;
			else process.env.REQUIRE_MFA = before;
		}
	});
});

describe('turning off and resetting', () => {
	it('lets a school contact turn theirs off with a code, but not a lead', async () => {
		const school = await withSecondFactor('school');
		const lead = await withSecondFactor('lead');
		const now = at(seconds(60));
		expect(await turnOffSecondFactor(t.db, lead.actor, { code: totpCode(lead.key, now), address }, now)).toMatchObject({ ok: false, reason: 'required' });
		expect(await turnOffSecondFactor(t.db, school.actor, { code: '000000', address }, now)).toMatchObject({ ok: false, code: 'invalid' });
		expect(await turnOffSecondFactor(t.db, school.actor, { code: totpCode(school.key, now), address }, at(seconds(61)))).toEqual({ ok: true });
		expect((await passwordStep(school.user.email, at(seconds(90)))).secondFactor).toBeNull();
		expect(await auditEvents(t.db, 'mfa.disabled')).toHaveLength(1);
	});

	it('lets an admin reset another user, ending their sessions; anyone else gets a 404', async () => {
		const { user } = await withSecondFactor('viewer');
		const admin = await makeActor(t.db, { role: 'admin' });
		const lead = await makeActor(t.db, { role: 'lead' });
		const session = await passwordStep(user.email, at(seconds(60)));
		await expect(resetSecondFactor(t.db, lead, user.id)).rejects.toMatchObject({ status: 404 });
		expect(await auditEvents(t.db, 'access.refused')).toHaveLength(1);
		expect(await resetSecondFactor(t.db, admin, user.id, at(seconds(70)))).toEqual({ ok: true });
		expect(await validateSessionToken(t.db, session.token, at(seconds(70)))).toBeNull();
		const row = await t.db.selectFrom('app_user').select(['totp_secret', 'totp_enabled_at']).where('id', '=', user.id).executeTakeFirstOrThrow();
		expect(row).toEqual({ totp_secret: null, totp_enabled_at: null });
		expect(await t.db.selectFrom('second_factor_recovery_code').select('id').where('user_id', '=', user.id).execute()).toEqual([]);
		expect(await auditEvents(t.db, 'mfa.reset')).toMatchObject([{ actor_id: admin.id, entity_id: user.id }]);
		// Next sign-in: no code asked, but set-up before anything else.
		const next = await passwordStep(user.email, at(seconds(80)));
		expect(next.secondFactor).toBeNull();
		expect((await validateSessionToken(t.db, next.token, at(seconds(80))))?.secondFactor).toBe('set_up');
	});
});
