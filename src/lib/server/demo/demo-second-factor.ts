import { hmac } from '@oslojs/crypto/hmac';
import { SHA256 } from '@oslojs/crypto/sha2';
import { encodeBase32UpperCaseNoPadding } from '@oslojs/encoding';

// The demo's admin, lead and report viewer have a second factor already set up. Their keys
// are derived from the email address and this fixed, public seed, so `npm run demo:code` can
// print a code without opening the database (which the running server holds locked) and
// the end-to-end tests can sign in. Demo data only: real keys are random (auth/totp.ts).
const DEMO_SEED = 'youth-programmes-tracker demo second factor 2026';

/** The demo users who sign in with a second factor. */
export const DEMO_SECOND_FACTOR_EMAILS: readonly string[] = ['admin@demo.test', 'lead@demo.test', 'viewer@demo.test'];

/** The demo key for an email address: 160 bits, base32, as auth/totp.ts keys are. */
export function demoTotpKey(email: string): string {
	const mac = hmac(SHA256, new TextEncoder().encode(DEMO_SEED), new TextEncoder().encode(email.trim().toLowerCase()));
	return encodeBase32UpperCaseNoPadding(mac.slice(0, 20));
}
