import { describe, expect, it } from 'vitest';
import { signOut } from '../../../src/lib/server/auth/auth.service';
import { createSession, validateSessionToken } from '../../../src/lib/server/auth/session';
import { sessionCookieName } from '../../../src/lib/server/web/session-cookie';
import { hashToken } from '../../../src/lib/server/auth/tokens';
import { useTestDatabase } from '../../support/database';
import { actorFor, makeUser } from '../../support/factories';

const t = useTestDatabase();
const minutes = (n: number) => n * 60 * 1000;
const signedInAt = new Date('2026-03-02T09:00:00Z');
const after = (ms: number) => new Date(signedInAt.getTime() + ms);

async function storedSession(token: string) {
	return t.db.selectFrom('auth_session').select(['expires_at']).where('id', '=', hashToken(token)).executeTakeFirst();
}

describe('session tokens', () => {
	it('are long enough to be unguessable and never repeat', async () => {
		const user = await makeUser(t.db);
		const first = await createSession(t.db, user.id);
		const second = await createSession(t.db, user.id);
		// 26 base32 characters carry 130 bits: at least the 128 that make guessing hopeless.
		expect(first).toMatch(/^[a-z2-7]{26,}$/);
		expect(second).not.toBe(first);
	});
});

describe('validateSessionToken', () => {
	it('ends a session left unused for an hour', async () => {
		const user = await makeUser(t.db);
		const token = await createSession(t.db, user.id, signedInAt);
		expect(await validateSessionToken(t.db, token, after(minutes(59)))).not.toBeNull();
		const idle = await createSession(t.db, user.id, signedInAt);
		expect(await validateSessionToken(t.db, idle, after(minutes(60)))).toBeNull();
		expect(await storedSession(idle)).toBeUndefined();
	});

	it('moves the idle timeout on when the session is used', async () => {
		const user = await makeUser(t.db);
		const token = await createSession(t.db, user.id, signedInAt);
		await validateSessionToken(t.db, token, after(minutes(10)));
		expect((await storedSession(token))?.expires_at).toEqual(after(minutes(70)));
	});

	it('ends a session 8 hours after sign-in however constantly it is used', async () => {
		const user = await makeUser(t.db);
		const token = await createSession(t.db, user.id, signedInAt);
		for (let used = minutes(30); used < minutes(8 * 60); used += minutes(30)) {
			expect(await validateSessionToken(t.db, token, after(used))).not.toBeNull();
		}
		// Renewal stops at the cap rather than promising another hour.
		expect((await storedSession(token))?.expires_at).toEqual(after(minutes(8 * 60)));
		expect(await validateSessionToken(t.db, token, after(minutes(8 * 60)))).toBeNull();
	});

	it('refuses the session of a user who has since been deactivated', async () => {
		const user = await makeUser(t.db);
		const token = await createSession(t.db, user.id);
		await t.db.updateTable('app_user').set({ status: 'deactivated' }).where('id', '=', user.id).execute();
		expect(await validateSessionToken(t.db, token)).toBeNull();
	});
});

describe('signOut', () => {
	it('deletes the session, so the token no longer works', async () => {
		const user = await makeUser(t.db);
		const token = await createSession(t.db, user.id);
		await signOut(t.db, actorFor(user), token, '192.0.2.1');
		expect(await storedSession(token)).toBeUndefined();
		expect(await validateSessionToken(t.db, token)).toBeNull();
	});
});

describe('sessionCookieName', () => {
	it('uses a __Host- cookie except on plain http to localhost, where browsers would refuse it', () => {
		expect(sessionCookieName(new URL('http://localhost:5173/sign-in'))).toBe('session');
		expect(sessionCookieName(new URL('https://example.org/sign-in'))).toBe('__Host-session');
	});
});
