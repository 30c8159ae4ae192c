import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDatabase } from '../../../src/lib/server/db/database';
import { lockDataDirectory } from '../../../src/lib/server/db/lock';
import { copyPostgresTemplate, databaseKind } from '../../support/database';
import { emailsTo, makeBooking, makeSession, makeUser } from '../../support/factories';

// `npm run reminders`, run as cron would run it: a process of its own (tsx takes a few seconds to start).

const root = fileURLToPath(new URL('../../../', import.meta.url));
const run = promisify(execFile);

async function reminders(env: NodeJS.ProcessEnv) {
	const { DATABASE_URL: _url, DATA_DIR: _dir, REMINDER_HOUR: _hour, SMTP_URL: _smtp, ...rest } = process.env;
	try {
		const { stdout, stderr } = await run(`${root}node_modules/.bin/tsx`, ['src/cli/reminders.ts'], { cwd: root, env: { ...rest, ...env } });
		return { code: 0, stdout, stderr };
	} catch (error) {
		const failed = error as { code: number; stdout: string; stderr: string };
		return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
	}
}

describe.skipIf(databaseKind !== 'pglite')('npm run reminders beside a server on the embedded database', () => {
	let dir: string;
	let lock: ReturnType<typeof lockDataDirectory>;
	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), 'ypt-reminders-'));
		// This test's process stands for the server holding the directory.
		lock = lockDataDirectory(dir);
	});
	afterAll(() => {
		lock?.release();
		rmSync(dir, { recursive: true, force: true });
	});

	it('says the server sends the reminders itself, at which hour, and exits 0 without a stack trace', async () => {
		const result = await reminders({ DATA_DIR: dir, REMINDER_HOUR: '6' });
		expect(result.code).toBe(0);
		expect(result.stdout).toContain(`The app's server is running on the embedded database in ${dir}`);
		expect(result.stdout).toContain('sends due reminders itself each day from 06:00 UK time (REMINDER_HOUR)');
		expect(result.stderr).not.toMatch(/\n\s+at /);
		expect(result.stdout).not.toMatch(/\n\s+at /);
	}, 60_000);
});

describe.skipIf(databaseKind !== 'postgres')('npm run reminders on PostgreSQL', () => {
	let database: AppDatabase & { url: string };
	beforeAll(async () => {
		database = await copyPostgresTemplate(3);
	});
	afterAll(async () => {
		await database?.close();
	});

	it('writes the due reminders, beside any running server', async () => {
		const contact = await makeUser(database.db, { role: 'school' });
		const session = await makeSession(database.db, { starts_at: new Date(Date.now() + 3 * 86_400_000) });
		await makeBooking(database.db, { school_id: contact.school_id!, session_id: session.id });

		const result = await reminders({ DATABASE_URL: database.url });

		expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining('Kept 1 reminder in the outbox') });
		expect(await emailsTo(database.db, contact.email)).toEqual([expect.objectContaining({ subject: expect.stringMatching(/^Reminder: /) })]);
	}, 60_000);
});
