import { describe, expect, it, vi } from 'vitest';
import { changePassword, passwordResetsWritten, requestPasswordReset, resetPassword, signIn } from '../../../src/lib/server/auth/auth.service';
import { createSession, validateSessionToken } from '../../../src/lib/server/auth/session';
import { useTestDatabase } from '../../support/database';
import { actorFor, auditEvents, emailsTo, linkToken, makeUser, PASSWORD } from '../../support/factories';

// Keep every email in the outbox, where these tests read the links, even on a machine with SMTP set up.
vi.stubEnv('SMTP_URL', '');

const t = useTestDatabase();
const origin = 'https://tracker.example.org';
const address = '198.51.100.7';
const NEW_PASSWORD = 'a brand new passphrase';
const unusableLink = { ok: false, code: 'refused', reason: 'invalid_link', message: expect.any(String) };

async function resetLinkFor(email: string) {
	await requestPasswordReset(t.db, email, origin, address);
	await passwordResetsWritten();
	const [message] = await emailsTo(t.db, email);
	return linkToken(message!.body_text, 'reset-password');
}

const reset = (token: string, password = NEW_PASSWORD, confirmPassword = password) => resetPassword(t.db, { token, password, confirmPassword, address });

const canSignIn = async (email: string, password: string) => (await signIn(t.db, { email, password, address })).ok;

describe('requestPasswordReset', () => {
	it('sends nothing for an email without an account, or with a deactivated one, and answers the same way', async () => {
		const gone = await makeUser(t.db, { status: 'deactivated' });
		await expect(requestPasswordReset(t.db, 'nobody@example.org', origin, address)).resolves.toEqual({ ok: true });
		await expect(requestPasswordReset(t.db, gone.email, origin, address)).resolves.toEqual({ ok: true });
		await passwordResetsWritten();
		expect(await t.db.selectFrom('outbox_message').select('id').execute()).toEqual([]);
	});

	it('emails an active user one link to their reset page', async () => {
		const user = await makeUser(t.db);
		await requestPasswordReset(t.db, user.email, origin, address);
		await passwordResetsWritten();
		const messages = await emailsTo(t.db, user.email);
		expect(messages).toHaveLength(1);
		expect(messages[0]!.body_text).toMatch(new RegExp(`${origin}/reset-password/[a-z2-7]{26,}`));
	});
});

describe('requestPasswordReset throttling', () => {
	const hour = 60 * 60 * 1000;
	const start = new Date('2026-03-02T09:00:00Z').getTime();
	// Each request's writes are awaited before the next: the test's one transaction is one connection.
	const ask = async (...args: [string, string, string, Date?]) => {
		const answer = await requestPasswordReset(t.db, ...args);
		await passwordResetsWritten();
		return answer;
	};

	it('answers a fourth request for one email within an hour "too many", known or not, from any address', async () => {
		const user = await makeUser(t.db);
		for (const email of [user.email, 'nobody@example.org']) {
			for (let i = 0; i < 3; i++) {
				expect(await ask(email, origin, `198.51.100.${i + 10}`, new Date(start + i * 1000))).toEqual({ ok: true });
			}
			const fourth = await ask(email, origin, '203.0.113.50', new Date(start + 5000));
			expect(fourth).toMatchObject({ ok: false, code: 'refused', reason: 'throttled', field: 'email' });
			expect(await ask(email, origin, '203.0.113.50', new Date(start + hour + 1000))).toEqual({ ok: true });
		}
		await passwordResetsWritten();
		expect(await emailsTo(t.db, user.email)).toHaveLength(4);
	});

	it('answers an eleventh request from one address within 15 minutes "too many", but not another address', async () => {
		for (let i = 0; i < 10; i++) {
			expect(await ask(`guess-${i}@example.org`, origin, address, new Date(start + i * 1000))).toEqual({ ok: true });
		}
		expect(await ask('guess-10@example.org', origin, address, new Date(start + 11_000))).toMatchObject({ reason: 'throttled' });
		expect(await ask('guess-10@example.org', origin, '203.0.113.9', new Date(start + 12_000))).toEqual({ ok: true });
		await passwordResetsWritten();
	});

	it('never counts as a failed sign-in', async () => {
		const user = await makeUser(t.db);
		for (let i = 0; i < 3; i++) await ask(user.email, origin, address);
		await passwordResetsWritten();
		expect(await canSignIn(user.email, PASSWORD)).toBe(true);
	});
});

describe('requestPasswordReset timing', () => {
	/** The SQL a request runs before it answers, parameters aside: what its time is made of. */
	async function statementsBeforeAnswer(email: string, from: string): Promise<string[]> {
		const statements: string[] = [];
		const recording = t.db.withPlugin({
			transformQuery: ({ node, queryId }) => {
				statements.push(t.db.getExecutor().compileQuery(node, queryId).sql);
				return node;
			},
			transformResult: async ({ result }) => result
		});
		expect(await requestPasswordReset(recording, email, origin, from)).toEqual({ ok: true });
		const before = [...statements];
		await passwordResetsWritten();
		// The lookup and the email did happen, after the answer.
		expect(statements.length).toBeGreaterThan(before.length);
		return before;
	}

	it('runs the same statements before answering for an active account, a deactivated one and no account', async () => {
		const user = await makeUser(t.db);
		const gone = await makeUser(t.db, { status: 'deactivated' });
		const known = await statementsBeforeAnswer(user.email, '198.51.100.20');
		expect(known.length).toBeGreaterThan(0);
		expect(await statementsBeforeAnswer(gone.email, '198.51.100.21')).toEqual(known);
		expect(await statementsBeforeAnswer('nobody@example.org', '198.51.100.22')).toEqual(known);
		expect(known.join(' ')).not.toMatch(/app_user|outbox_message|user_token/);
	});
});

describe('resetPassword', () => {
	it('sets the new password, ends every session of the user, and works only once', async () => {
		const user = await makeUser(t.db);
		const sessions = [await createSession(t.db, user.id), await createSession(t.db, user.id)];
		const token = await resetLinkFor(user.email);

		expect(await reset(token)).toEqual({ ok: true, userId: user.id });
		for (const session of sessions) expect(await validateSessionToken(t.db, session)).toBeNull();
		expect(await canSignIn(user.email, PASSWORD)).toBe(false);
		expect(await canSignIn(user.email, NEW_PASSWORD)).toBe(true);
		expect(await reset(token, 'yet another passphrase')).toEqual(unusableLink);
	});

	it('refuses a link past its expiry', async () => {
		const user = await makeUser(t.db);
		const token = await resetLinkFor(user.email);
		await t.db
			.updateTable('user_token')
			.set({ expires_at: new Date(Date.now() - 1000) })
			.where('user_id', '=', user.id)
			.execute();
		expect(await reset(token)).toEqual(unusableLink);
	});

	it('gives a too-short password a field error and changes nothing', async () => {
		const user = await makeUser(t.db);
		const session = await createSession(t.db, user.id);
		const token = await resetLinkFor(user.email);
		const result = await reset(token, 'short');
		expect(result).toEqual({ ok: false, code: 'invalid', errors: { password: expect.any(String) } });
		expect(await validateSessionToken(t.db, session)).not.toBeNull();
		expect(await canSignIn(user.email, PASSWORD)).toBe(true);
		// The link was not used up by the mistake.
		expect((await reset(token)).ok).toBe(true);
	});

	it('never writes the link secret into the audit log', async () => {
		const user = await makeUser(t.db);
		const token = await resetLinkFor(user.email);
		await reset(token);
		const events = await auditEvents(t.db);
		expect(events.map((e) => e.action)).toEqual(['password_reset.requested', 'password.reset']);
		expect(JSON.stringify(events)).not.toContain(token);
	});
});

describe('changePassword', () => {
	const change = (actor: ReturnType<typeof actorFor>, currentPassword: string) =>
		changePassword(t.db, actor, { currentPassword, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD, address });

	it('refuses a wrong current password', async () => {
		const user = await makeUser(t.db);
		expect(await change(actorFor(user), 'a wrong guess at it')).toEqual({
			ok: false,
			code: 'invalid',
			errors: { currentPassword: expect.any(String) }
		});
		expect(await canSignIn(user.email, PASSWORD)).toBe(true);
	});

	it("ends the user's other sessions and gives this browser a new one", async () => {
		const user = await makeUser(t.db);
		const elsewhere = await createSession(t.db, user.id);
		const result = await change(actorFor(user), PASSWORD);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(await validateSessionToken(t.db, elsewhere)).toBeNull();
		expect((await validateSessionToken(t.db, result.sessionToken))?.id).toBe(user.id);
		expect(await canSignIn(user.email, NEW_PASSWORD)).toBe(true);
	});

	it('stops a reset link asked for before the change from working after it, and audits a wrong current password', async () => {
		const user = await makeUser(t.db);
		const token = await resetLinkFor(user.email);
		expect((await change(actorFor(user), 'not my password')).ok).toBe(false);
		expect(await auditEvents(t.db, 'password_change.wrong_current_password')).toHaveLength(1);
		expect((await change(actorFor(user), PASSWORD)).ok).toBe(true);
		await expect(reset(token, 'the attacker chose this one')).resolves.toEqual(unusableLink);
		expect(await canSignIn(user.email, NEW_PASSWORD)).toBe(true);
	});

	it('counts wrong guesses at the current password like failed sign-ins, and stops them after five', async () => {
		const user = await makeUser(t.db);
		for (let guess = 1; guess <= 5; guess++) await change(actorFor(user), `wrong guess number ${guess}`);
		const result = await change(actorFor(user), PASSWORD);
		expect(result).toEqual({
			ok: false,
			code: 'refused',
			reason: 'throttled',
			message: expect.stringMatching(/^Too many attempts/),
			field: 'currentPassword'
		});
		expect(await canSignIn(user.email, NEW_PASSWORD)).toBe(false);
	});
});
