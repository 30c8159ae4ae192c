import { describe, expect, it, vi } from 'vitest';
import { acceptInvitation, signIn } from '../../../src/lib/server/auth/auth.service';
import { createSession, validateSessionToken } from '../../../src/lib/server/auth/session';
import { issueUserToken } from '../../../src/lib/server/auth/user-tokens';
import { parseUserForm, type UserInput } from '../../../src/lib/server/users/users.schema';
import { deactivateUser, inviteUser, resendInvitation } from '../../../src/lib/server/users/users.service';
import { useTestDatabase } from '../../support/database';
import { auditEvents, emailsTo, linkToken, makeActor, makeUser, PASSWORD } from '../../support/factories';

// Keep every email in the outbox, where these tests read the links, even on a machine with SMTP set up.
vi.stubEnv('SMTP_URL', '');

const t = useTestDatabase();
const origin = 'https://tracker.example.org';
const address = '198.51.100.7';
const CHOSEN = 'my first real passphrase';
const days = (n: number) => n * 24 * 60 * 60 * 1000;
const unusableLink = { ok: false, code: 'refused', reason: 'invalid_link', message: expect.any(String) };
const notRecognised = { ok: false, code: 'refused', reason: 'invalid_credentials', message: expect.any(String), field: 'email' };

const lead = (email = 'new.lead@example.org'): UserInput => ({ email, name: 'Nia Lead', role: 'lead', schoolId: null });
const accept = (token: string) => acceptInvitation(t.db, { token, password: CHOSEN, confirmPassword: CHOSEN, address });

async function invite(input = lead()) {
	const admin = await makeActor(t.db);
	const result = await inviteUser(t.db, admin, input, origin);
	if (!result.ok) throw new Error(`invitation refused: ${JSON.stringify(result)}`);
	const [message] = await emailsTo(t.db, input.email);
	return { admin, userId: result.userId, token: linkToken(message!.body_text, 'invitation') };
}

const statusOf = async (id: string) => (await t.db.selectFrom('app_user').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

describe('inviteUser', () => {
	it('creates an invited account and emails it a link to set a password', async () => {
		const { userId } = await invite();
		expect(await statusOf(userId)).toBe('invited');
		const messages = await emailsTo(t.db, 'new.lead@example.org');
		expect(messages).toHaveLength(1);
		expect(messages[0]!.body_text).toMatch(new RegExp(`${origin}/invitation/[a-z2-7]{26,}`));
	});

	it('refuses an email that already has an account', async () => {
		const existing = await makeUser(t.db);
		const admin = await makeActor(t.db);
		expect(await inviteUser(t.db, admin, lead(existing.email), origin)).toEqual({
			ok: false,
			code: 'invalid',
			errors: { email: expect.any(String) }
		});
	});

	it('answers anyone but an admin with a 404, and audits the refusal', async () => {
		const leadActor = await makeActor(t.db, { role: 'lead' });
		await expect(inviteUser(t.db, leadActor, lead(), origin)).rejects.toMatchObject({ status: 404 });
		expect(await auditEvents(t.db, 'access.refused')).toMatchObject([{ actor_id: leadActor.id, entity_type: 'user' }]);
		expect(await t.db.selectFrom('app_user').select('id').where('email', '=', 'new.lead@example.org').execute()).toEqual([]);
	});
});

describe('parseUserForm', () => {
	it('asks which school a school contact works at', () => {
		const form = new FormData();
		form.set('email', 'head@school.example.org');
		form.set('name', 'Hana Head');
		form.set('role', 'school');
		expect(parseUserForm(form, { withEmail: true }).errors).toEqual({ schoolId: expect.any(String) });
	});
});

describe('acceptInvitation', () => {
	it('activates the account, signs the user in, and works only once', async () => {
		const { userId, token } = await invite();
		const result = await accept(token);
		expect(result).toMatchObject({ ok: true, userId });
		expect(await statusOf(userId)).toBe('active');
		expect((await validateSessionToken(t.db, result.ok ? result.sessionToken : ''))?.id).toBe(userId);
		expect(await accept(token)).toEqual(unusableLink);
	});

	it('refuses a link issued more than 7 days ago', async () => {
		const { userId } = await invite();
		// Each link replaces the last, so the one past its 7 days is tried first.
		const issuedAgo = async (ms: number) => issueUserToken(t.db, userId, 'invitation', new Date(Date.now() - ms));
		expect(await accept(await issuedAgo(days(7) + 60_000))).toEqual(unusableLink);
		expect((await accept(await issuedAgo(days(7) - 60_000))).ok).toBe(true);
	});
});

describe('resendInvitation', () => {
	it('sends a new link and stops the old one working', async () => {
		const { admin, userId, token: first } = await invite();
		await resendInvitation(t.db, admin, userId, origin);
		const tokens = (await emailsTo(t.db, 'new.lead@example.org')).map((m) => linkToken(m.body_text, 'invitation'));
		const second = tokens.find((token) => token !== first)!;
		expect(tokens).toHaveLength(2);
		expect(await accept(first)).toEqual(unusableLink);
		expect((await accept(second)).ok).toBe(true);
	});
});

describe('deactivateUser', () => {
	it("ends the user's sessions at once and stops them signing in", async () => {
		const admin = await makeActor(t.db);
		const user = await makeUser(t.db, { role: 'lead' });
		const session = await createSession(t.db, user.id);
		expect(await deactivateUser(t.db, admin, user.id)).toEqual({ ok: true });
		expect(await t.db.selectFrom('auth_session').select('id').where('user_id', '=', user.id).execute()).toEqual([]);
		expect(await validateSessionToken(t.db, session)).toBeNull();
		expect(await signIn(t.db, { email: user.email, password: PASSWORD, address })).toEqual(notRecognised);
	});

	it('will not let an admin deactivate their own account', async () => {
		const admin = await makeActor(t.db);
		expect(await deactivateUser(t.db, admin, admin.id)).toEqual({ ok: false, code: 'refused', reason: 'own_account', message: expect.any(String) });
		expect(await statusOf(admin.id)).toBe('active');
	});
});
