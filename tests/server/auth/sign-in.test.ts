import { describe, expect, it } from 'vitest';
import { signIn } from '../../../src/lib/server/auth/auth.service';
import { validateSessionToken } from '../../../src/lib/server/auth/session';
import { hashToken } from '../../../src/lib/server/auth/tokens';
import { useTestDatabase } from '../../support/database';
import { makeUser, PASSWORD } from '../../support/factories';

const t = useTestDatabase();
const address = '198.51.100.7';

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
		expect(answers).toEqual([
			{ ok: false, reason: 'invalid' },
			{ ok: false, reason: 'invalid' },
			{ ok: false, reason: 'invalid' }
		]);
	});
});
