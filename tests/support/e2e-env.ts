import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const E2E_PORT = Number(process.env.E2E_PORT || 4173);
export const e2eDataDir = resolve('.e2e-data');

/** Debian's Chromium on these machines; Playwright's own browser elsewhere (see ensure-chromium.js). */
export function chromiumPath(): string | undefined {
	const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
	return existsSync(path) ? path : undefined;
}
