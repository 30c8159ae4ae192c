import { expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { e2eDataDir } from '../support/e2e-env';

test('a second server on the same data directory refuses to start and names the directory', () => {
	// The test server already holds .e2e-data; this one must not open it too.
	const second = spawnSync(process.execPath, ['src/cli/start.js'], {
		env: { ...process.env, PORT: '4199', DATA_DIR: e2eDataDir },
		encoding: 'utf8',
		timeout: 60_000
	});
	expect(second.status).toBe(1);
	expect(second.stderr).toContain(`The data directory ${e2eDataDir} is already in use`);
});
