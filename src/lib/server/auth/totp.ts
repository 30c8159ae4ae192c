import { createTOTPKeyURI, generateHOTP } from '@oslojs/otp';
import { decodeBase32IgnorePadding, encodeBase32LowerCaseNoPadding, encodeBase32UpperCaseNoPadding } from '@oslojs/encoding';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { hashToken } from './tokens';

// Time-based one-time codes (RFC 6238): six digits from a shared key and the 30-second step
// of the clock. A code of the step before or after is accepted too, for a phone whose clock
// is a little out; the step a code matched is returned so the caller can refuse it a second time.

export const PERIOD_SECONDS = 30;
export const DIGITS = 6;
const ISSUER = 'Youth Programmes Tracker';

/** A new key of 160 random bits (RFC 4226's recommended length), in base32 as apps take it. */
export function newTotpKey(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32UpperCaseNoPadding(bytes);
}

/** Whether text is a key this app could have made: 32 base32 characters. */
export function isTotpKey(text: string): boolean {
	return /^[A-Z2-7]{32}$/.test(text);
}

function keyBytes(key: string): Uint8Array {
	return decodeBase32IgnorePadding(key);
}

/** The 30-second step the clock is in. */
export function stepAt(now: Date): number {
	return Math.floor(now.getTime() / 1000 / PERIOD_SECONDS);
}

/** The code for a step (the current one by default). */
export function totpCode(key: string, now = new Date(), offset = 0): string {
	return generateHOTP(keyBytes(key), BigInt(stepAt(now) + offset), DIGITS);
}

/** The step whose code this is (this step, the one before or the one after), or null. */
export function matchingStep(key: string, code: string, now = new Date()): number | null {
	if (!/^\d{6}$/.test(code)) return null;
	const typed = new TextEncoder().encode(code);
	const bytes = keyBytes(key);
	const step = stepAt(now);
	let found: number | null = null;
	// Every candidate is compared, so the time taken does not say which one matched.
	for (const candidate of [step - 1, step, step + 1]) {
		const expected = new TextEncoder().encode(generateHOTP(bytes, BigInt(candidate), DIGITS));
		if (constantTimeEqual(expected, typed) && found === null) found = candidate;
	}
	return found;
}

/** The otpauth:// address an authenticator app reads from the QR code. */
export function totpKeyUri(accountName: string, key: string): string {
	return createTOTPKeyURI(ISSUER, accountName, keyBytes(key), PERIOD_SECONDS, DIGITS);
}

/** The key in groups of four, easier to read and type: "ABCD EFGH ...". */
export function groupedKey(key: string): string {
	return key.replace(/(.{4})(?=.)/g, '$1 ');
}

/** A code as typed, without spaces or hyphens (apps show "123 456"; recovery codes "abcde-fghij"). */
export function normaliseCode(text: string): string {
	return text.replace(/[\s-]/g, '').toLowerCase();
}

/** Whether a normalised code has the shape of a recovery code rather than a six-digit one. */
export function looksLikeRecoveryCode(normalised: string): boolean {
	return /^[a-z2-7]{10}$/.test(normalised);
}

export const RECOVERY_CODE_COUNT = 10;

/** Ten single-use recovery codes of 50 random bits each, shown to the user as "abcde-fghij". */
export function newRecoveryCodes(): string[] {
	return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
		const bytes = new Uint8Array(10);
		crypto.getRandomValues(bytes);
		const text = encodeBase32LowerCaseNoPadding(bytes).slice(0, 10);
		return `${text.slice(0, 5)}-${text.slice(5)}`;
	});
}

/**
 * How a recovery code is stored: SHA-256 of its normalised text. Each code has 50 random bits
 * and guesses are throttled like passwords, so a slow hash (argon2) would add only time.
 */
export function hashRecoveryCode(code: string): string {
	return hashToken(`recovery:${normaliseCode(code)}`);
}
