// `npm run demo:code -- admin@demo.test`: prints the current second-factor code of a demo user.
// The demo keys are derived from each email address (src/lib/server/demo/demo-second-factor.ts),
// so this works while the server runs and holds the embedded database's lock: it never opens
// the database. For real accounts it prints nothing useful: their keys are random.
import { DEMO_SECOND_FACTOR_EMAILS, demoTotpKey } from '../lib/server/demo/demo-second-factor';
import { PERIOD_SECONDS, totpCode } from '../lib/server/auth/totp';

const email = process.argv[2]?.trim().toLowerCase();
if (!email || !DEMO_SECOND_FACTOR_EMAILS.includes(email)) {
	console.error(`Usage: npm run demo:code -- <email>, one of ${DEMO_SECOND_FACTOR_EMAILS.join(', ')}`);
	process.exit(2);
}
const now = new Date();
const left = PERIOD_SECONDS - (Math.floor(now.getTime() / 1000) % PERIOD_SECONDS);
console.log(totpCode(demoTotpKey(email), now));
console.error(`(valid for ${left} more seconds, and the 30 seconds after)`);
