import { describe, expect, it } from 'vitest';
import { signIn } from '../../../src/lib/server/auth/auth.service';
import { accountKey, ACCOUNT_LIMIT, ADDRESS_LIMIT } from '../../../src/lib/server/auth/throttle';
import { useTestDatabase } from '../../support/database';
import { makeUser } from '../../support/factories';

// Races need real concurrent connections: PGlite has one, so these run on PostgreSQL only, and
// commit (t.root), since a rolled-back test transaction is one connection too.

const WRONG = 'not the password at all';
const AT_ONCE = 30;

describe.skipIf(process.env.TEST_DB !== 'postgres')('the sign-in throttle under contention (PostgreSQL)', () => {
	const t = useTestDatabase();

	it(`lets at most ${ACCOUNT_LIMIT} of ${AT_ONCE} wrong passwords sent at once for one account be checked`, async () => {
		const user = await makeUser(t.root);
		const answers = await Promise.all(
			Array.from({ length: AT_ONCE }, (_, i) => signIn(t.root, { email: user.email, password: WRONG, address: `198.51.100.${i + 1}` }))
		);
		const reasons = answers.map((a) => (a.ok ? 'signed_in' : a.code === 'refused' ? a.reason : a.code));
		expect(reasons.filter((r) => r === 'invalid_credentials').length).toBeLessThanOrEqual(ACCOUNT_LIMIT);
		expect(reasons.filter((r) => r === 'throttled').length).toBeGreaterThanOrEqual(AT_ONCE - ACCOUNT_LIMIT);
		// Turned-away attempts are not kept as failures, so waiting out the lock is enough to end
		// it: the failures stored are exactly the ones checked.
		const stored = await t.root.selectFrom('sign_in_attempt').select('succeeded').where('account', '=', accountKey(user.email)).execute();
		expect(stored).toEqual(reasons.filter((r) => r === 'invalid_credentials').map(() => ({ succeeded: false })));
	});

	it(`lets at most ${ADDRESS_LIMIT} guesses at once from one address be checked`, async () => {
		const answers = await Promise.all(
			Array.from({ length: ADDRESS_LIMIT + 15 }, (_, i) => signIn(t.root, { email: `nobody-${i}@example.org`, password: WRONG, address: '203.0.113.77' }))
		);
		const checked = answers.filter((a) => !a.ok && a.code === 'refused' && a.reason === 'invalid_credentials').length;
		expect(checked).toBeLessThanOrEqual(ADDRESS_LIMIT);
	});
});
