import { expect, test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { E2E_PORT } from '../support/e2e-env';

// `npm start` as someone runs it, stopped by a signal to the npm process alone (as a service
// manager or a terminal's kill does): every process it started must end and the data
// directory's lock must go. npm runs the script through `sh -c`; before the script `exec`ed
// node, the shell died and left the server running, holding the lock.

// Beside the test server's port, so runs on other ports (E2E_PORT) do not meet.
const PORT = E2E_PORT + 25;
let dataDir: string;

test.describe.configure({ mode: 'serial' });
test.beforeAll(() => {
	dataDir = mkdtempSync(join(tmpdir(), 'ypt-npm-start-'));
});
test.afterAll(() => {
	rmSync(dataDir, { recursive: true, force: true });
});

/** `npm start` in a process group of its own, so the whole tree it starts can be seen. */
function npmStart(): { npm: ChildProcess; output: () => string } {
	const npm = spawn('npm', ['start'], {
		env: { ...process.env, PORT: String(PORT), DATA_DIR: dataDir, SMTP_URL: '' },
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	npm.stdout!.on('data', (chunk) => (output += chunk));
	npm.stderr!.on('data', (chunk) => (output += chunk));
	return { npm, output: () => output };
}

/** Whether any process of the group npm leads is still running. */
function groupRunning(npm: ChildProcess): boolean {
	try {
		process.kill(-npm.pid!, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

const lockFile = () => join(dataDir, 'app.lock');

async function serving(): Promise<boolean> {
	try {
		return (await fetch(`http://localhost:${PORT}/sign-in`)).ok;
	} catch {
		return false;
	}
}

/** Sends `signal` to the npm process only, then expects the whole tree gone and the lock released. */
async function expectStoppedBy(npm: ChildProcess, signal: NodeJS.Signals): Promise<void> {
	const server = Number.parseInt(readFileSync(lockFile(), 'utf8'), 10);
	// The lock is the server's: npm `exec`s node, so npm's child is the server itself.
	expect(server).not.toBe(npm.pid);
	const exited = once(npm, 'exit');
	npm.kill(signal);
	await exited;
	// Generous: signalled while starting, it first finishes creating, migrating and seeding a new database.
	await expect.poll(() => groupRunning(npm), { timeout: 180_000 }).toBe(false);
	expect(existsSync(lockFile())).toBe(false);
	expect(await serving()).toBe(false);
}

async function run(signal: NodeJS.Signals, when: () => Promise<boolean> | boolean, check?: (output: string) => void): Promise<void> {
	const { npm, output } = npmStart();
	try {
		await expect.poll(when, { timeout: 150_000, intervals: [100] }).toBe(true);
		await expectStoppedBy(npm, signal);
		check?.(output());
	} finally {
		if (groupRunning(npm)) process.kill(-npm.pid!, 'SIGKILL');
	}
}

test('SIGTERM to npm while a new database is being made stops once it is made, without starting the server', async () => {
	// A new data directory: creating, migrating and seeding it (in a process of its own) takes long enough to signal in the middle.
	test.setTimeout(360_000);
	await run(
		'SIGTERM',
		() => existsSync(lockFile()),
		(output) => expect(output).toContain('Stopping as soon as the new database is ready')
	);
});

test('SIGTERM to npm stops the running server and releases the data directory', async () => {
	test.setTimeout(180_000);
	await run('SIGTERM', serving);
});

test('SIGINT to npm stops the running server and releases the data directory', async () => {
	test.setTimeout(180_000);
	await run('SIGINT', serving);
});
