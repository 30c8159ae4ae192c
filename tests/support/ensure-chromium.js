// Browser tests use Debian's Chromium where it is installed (CHROMIUM_PATH, default
// /usr/bin/chromium). Elsewhere, fetch Playwright's own Chromium once so `npm test` works on a
// fresh machine with internet access.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!existsSync(path)) {
	console.log(`No Chromium at ${path}: installing Playwright's Chromium.`);
	const result = spawnSync('npx', ['playwright', 'install', 'chromium'], { stdio: 'inherit', shell: process.platform === 'win32' });
	process.exit(result.status ?? 1);
}
