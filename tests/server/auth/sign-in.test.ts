import { describe, expect, it } from 'vitest';
import { signIn } from '../../../src/lib/server/auth/auth.service';
import { validateSessionToken } from '../../../src/lib/server/auth/session';
import { hashToken } from '../../../src/lib/server/auth/tokens';
import { accountKey, pruneAttempts } from '../../../src/lib/server/auth/throttle';
import { useTestDatabase } from '../../support/database';
import { auditEvents, makeUser, PASSWORD } from '../../support/factories';

const t = useTestDatabase();
const address = '198.51.100.7';
const WRONG = 'not the password at all';
const minutes = (n: number) => n * 60 * 1000;
// Attempts at explicit, increasing times: the throttle compares timestamps, and attempts made
// within the same millisecond would make the order of a failure and a success ambiguous.
const start = new Date('2026-03-02T09:00:00Z');
const at = (ms: number) => new Date(start.getTime() + ms);

describe('signIn', () => {
	it('signs in with the right password and stores only the hash of the session token', async () => {
		const user = await makeUser(t.db, { role: 'lead' });
		const result = await signIn(t.db, { email: user.email.toUpperCase(), password: PASSWORD, address });
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.token.length).toBeGreaterThanOrEqual(26); // 160 bits in base32
		const stored = await t.db.selectFrom('auth_session').select('id').where('user_id', '=', user.id).execute();
		expect(stored).toEqual([{ id: hashToken(result.token) }]);
		expect((await validateSessionToken(t.db, result.token))?.id).toBe(user.id);
	});

	it('gives unknown emails, wrong passwords and deactivated accounts the same answer', async () => {
		const user = await makeUser(t.db);
		const gone = await makeUser(t.db, { status: 'deactivated' });
		const answers = [
			await signIn(t.db, { email: 'nobody@example.org', password: PASSWORD, address }),
			await signIn(t.db, { email: user.email, password: 'not the password at all', address }),
			await signIn(t.db, { email: gone.email, password: PASSWORD, address })
		];
		const notRecognised = { ok: false, code: 'refused', reason: 'invalid_credentials', message: 'Enter a correct email address and password', field: 'email' };
		expect(answers).toEqual([notRecognised, notRecognised, notRecognised]);
	});
});

describe('signIn throttling', () => {
	it('refuses the right password after 5 failures for one account within 15 minutes', async () => {
		const user = await makeUser(t.db);
		for (let i = 0; i < 5; i++) {
			expect(await signIn(t.db, { email: user.email, password: WRONG, address }, at(minutes(2 * i)))).toMatchObject({
				ok: false,
				reason: 'invalid_credentials'
			});
		}
		const sixth = await signIn(t.db, { email: user.email, password: PASSWORD, address }, at(minutes(10)));
		expect(sixth).toMatchObject({ ok: false, code: 'refused', reason: 'throttled', field: 'email' });
		// The wait is told in whole minutes: at least one, and at most the 15 of the window.
		const message = 'message' in sixth ? sixth.message : '';
		const wait = Number(/^Too many attempts to sign in\. Wait (\d+) minutes? before you try again\.$/.exec(message)?.[1]);
		expect(wait).toBeGreaterThanOrEqual(1);
		expect(wait).toBeLessThanOrEqual(15);
	});

	it('lets the account in again once its failures are more than 15 minutes old', async () => {
		const user = await makeUser(t.db);
		for (let i = 0; i < 5; i++) await signIn(t.db, { email: user.email, password: WRONG, address }, at(i * 1000));
		const meanwhile = await signIn(t.db, { email: user.email, password: PASSWORD, address }, at(minutes(14)));
		expect(meanwhile).toMatchObject({ reason: 'throttled' });
		const later = await signIn(t.db, { email: user.email, password: PASSWORD, address }, at(minutes(16)));
		expect(later.ok).toBe(true);
	});

	it('starts the count again after a successful sign-in', async () => {
		const user = await makeUser(t.db);
		let time = 0;
		const attempt = (password: string) => signIn(t.db, { email: user.email, password, address }, at((time += 1000)));
		for (let i = 0; i < 4; i++) await attempt(WRONG);
		expect((await attempt(PASSWORD)).ok).toBe(true);
		for (let i = 0; i < 4; i++) await attempt(WRONG);
		// 8 failures in the window, but only 4 since the success.
		expect((await attempt(PASSWORD)).ok).toBe(true);
	});

	it('refuses an address after 20 failures across different emails, but not another address', async () => {
		let time = 0;
		for (let i = 0; i < 20; i++) {
			await signIn(t.db, { email: `guess-${i}@example.org`, password: WRONG, address }, at((time += 1000)));
		}
		const user = await makeUser(t.db);
		const fromSame = await signIn(t.db, { email: user.email, password: PASSWORD, address }, at((time += 1000)));
		const fromOther = await signIn(t.db, { email: user.email, password: PASSWORD, address: '203.0.113.9' }, at(time + 1000));
		expect(fromSame).toMatchObject({ ok: false, reason: 'throttled' });
		expect(fromOther.ok).toBe(true);
	});

	it('audits failures, successes and throttled attempts without ever recording the password', async () => {
		const user = await makeUser(t.db);
		let time = 0;
		const attempt = (password: string) => signIn(t.db, { email: user.email, password, address }, at((time += 1000)));
		await attempt(PASSWORD);
		for (let i = 0; i < 5; i++) await attempt(WRONG);
		await attempt(PASSWORD);
		const events = await auditEvents(t.db);
		const actions = ['sign_in.succeeded', ...Array<string>(5).fill('sign_in.failed'), 'sign_in.throttled'];
		expect(events).toEqual(actions.map((action) => expect.objectContaining({ action, entity_id: user.id, address })));
		const recorded = JSON.stringify(events);
		expect(recorded).not.toContain(PASSWORD);
		expect(recorded).not.toContain(WRONG);
	});

	it('does not let guesses from elsewhere lock the owner out where they signed in within 30 days', async () => {
		const user = await makeUser(t.db);
		const desk = '192.0.2.10';
		expect((await signIn(t.db, { email: user.email, password: PASSWORD, address: desk }, at(0))).ok).toBe(true);
		for (let i = 0; i < 5; i++) await signIn(t.db, { email: user.email, password: WRONG, address: `203.0.113.${i + 1}` }, at(minutes(1) + i * 1000));
		// Locked against anyone else, the right password included...
		expect(await signIn(t.db, { email: user.email, password: PASSWORD, address: '203.0.113.99' }, at(minutes(2)))).toMatchObject({ reason: 'throttled' });
		// ...but not at the owner's desk.
		expect((await signIn(t.db, { email: user.email, password: PASSWORD, address: desk }, at(minutes(3)))).ok).toBe(true);
	});

	it("gives the owner's usual address 5 tries of its own", async () => {
		const user = await makeUser(t.db);
		const desk = '192.0.2.11';
		await signIn(t.db, { email: user.email, password: PASSWORD, address: desk }, at(0));
		for (let i = 0; i < 5; i++) await signIn(t.db, { email: user.email, password: WRONG, address: desk }, at(minutes(1) + i * 1000));
		expect(await signIn(t.db, { email: user.email, password: PASSWORD, address: desk }, at(minutes(2)))).toMatchObject({ reason: 'throttled' });
	});

	it('lets an address shared by many (a proxy) that 20 failures locked still sign in accounts used there', async () => {
		const proxy = '10.0.0.1';
		const regular = await makeUser(t.db);
		const newcomer = await makeUser(t.db);
		let time = 0;
		expect((await signIn(t.db, { email: regular.email, password: PASSWORD, address: proxy }, at((time += 1000)))).ok).toBe(true);
		for (let i = 0; i < 20; i++) await signIn(t.db, { email: `guess-${i}@example.org`, password: WRONG, address: proxy }, at((time += 1000)));
		expect((await signIn(t.db, { email: regular.email, password: PASSWORD, address: proxy }, at((time += 1000)))).ok).toBe(true);
		expect(await signIn(t.db, { email: newcomer.email, password: PASSWORD, address: proxy }, at(time + 1000))).toMatchObject({ reason: 'throttled' });
	});

	it('keeps successes for 30 days and failures for a day when pruning', async () => {
		const user = await makeUser(t.db);
		const desk = '192.0.2.12';
		await signIn(t.db, { email: user.email, password: PASSWORD, address: desk }, at(0));
		await signIn(t.db, { email: user.email, password: WRONG, address: desk }, at(1000));
		await pruneAttempts(t.db, at(minutes(60 * 24 * 2)));
		const kept = await t.db.selectFrom('sign_in_attempt').select('succeeded').where('account', '=', accountKey(user.email)).execute();
		expect(kept).toEqual([{ succeeded: true }]);
		await pruneAttempts(t.db, at(minutes(60 * 24 * 31)));
		expect(await t.db.selectFrom('sign_in_attempt').select('id').where('account', '=', accountKey(user.email)).execute()).toEqual([]);
	});
});
