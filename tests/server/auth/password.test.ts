import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyPassword } from '../../../src/lib/server/auth/password';

describe('hashPassword', () => {
	it('uses argon2id with at least the OWASP parameters: 19 MiB, 2 passes, 1 lane', async () => {
		const hash = await hashPassword('correct horse battery staple');
		expect(hash.startsWith('$argon2id$v=19$m=19456,t=2,p=1$')).toBe(true);
		expect(await verifyPassword(hash, 'correct horse battery staple')).toBe(true);
		expect(await verifyPassword(hash, 'correct horse battery stapler')).toBe(false);
	});
});

describe('passwordProblem', () => {
	it.each([
		['11 characters', 'a'.repeat(11), 'Password must be 12 characters or more'],
		['129 characters', 'a'.repeat(129), 'Password must be 128 characters or fewer'],
		['nothing', '', 'Enter a password']
	])('refuses %s', (_, password, message) => {
		expect(passwordProblem(password)).toBe(message);
	});

	// Length is the only rule (NCSC and NIST advice): no demands for digits, capitals or symbols.
	it.each([
		['12 characters of one letter', 'aaaaaaaaaaaa'],
		['128 characters', 'x'.repeat(128)],
		['a passphrase with spaces', 'tea at the white cliffs']
	])('accepts %s', (_, password) => {
		expect(passwordProblem(password)).toBeUndefined();
	});
});
