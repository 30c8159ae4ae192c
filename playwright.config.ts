import { defineConfig } from '@playwright/test';
import { chromiumPath, e2eDataDir, E2E_PORT } from './tests/support/e2e-env';

export default defineConfig({
	testDir: 'tests/e2e',
	fullyParallel: false,
	workers: 1,
	retries: 0,
	timeout: 90_000,
	expect: { timeout: 10_000 },
	reporter: [['list']],
	use: {
		baseURL: `http://localhost:${E2E_PORT}`,
		trace: 'retain-on-failure',
		launchOptions: {
			executablePath: chromiumPath(),
			args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']
		}
	},
	// The built app on a fresh embedded database with the demo data, as `npm start` runs it.
	webServer: {
		command: 'node tests/support/e2e-server.js',
		url: `http://localhost:${E2E_PORT}/sign-in`,
		timeout: 120_000,
		reuseExistingServer: false,
		stdout: 'pipe',
		env: { PORT: String(E2E_PORT), DATA_DIR: e2eDataDir, SMTP_URL: '', LOG_LEVEL: 'warn' }
	}
});
