import { hash, verify } from '@node-rs/argon2';

// argon2id with the OWASP minimum parameters: 19 MiB of memory, 2 passes, 1 lane.
const options = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

export function hashPassword(password: string): Promise<string> {
	return hash(password, options);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	return verify(passwordHash, password, options);
}

// Verified against when the account is unknown, so unknown and known emails take as long.
let dummyHash: Promise<string> | undefined;
export async function verifyAgainstDummy(password: string): Promise<false> {
	dummyHash ??= hashPassword('not-a-real-password-for-timing');
	await verify(await dummyHash, password, options);
	return false;
}

/** Length is the only rule: no composition rules, and pasting is allowed. */
export function passwordProblem(password: string): string | undefined {
	if (password.length === 0) return 'Enter a password';
	if (password.length < PASSWORD_MIN_LENGTH) return `Password must be ${PASSWORD_MIN_LENGTH} characters or more`;
	if (password.length > PASSWORD_MAX_LENGTH) return `Password must be ${PASSWORD_MAX_LENGTH} characters or fewer`;
	return undefined;
}
