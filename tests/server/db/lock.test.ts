import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { openDatabase } from '../../../src/lib/server/db/database';
import { DataDirectoryInUseError, lockDataDirectory } from '../../../src/lib/server/db/lock';
import { databaseKind } from '../../support/database';

let dir: string;
beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'ypt-lock-'));
});
afterEach(() => {
	rmSync(dir, { recursive: true, force: true });
});

const lockFile = () => join(dir, 'app.lock');

describe('lockDataDirectory', () => {
	it('refuses a second lock in the same process, naming the directory', () => {
		const lock = lockDataDirectory(dir);
		try {
			expect(() => lockDataDirectory(dir)).toThrow(DataDirectoryInUseError);
			expect(() => lockDataDirectory(dir)).toThrow(dir);
		} finally {
			lock.release();
		}
	});

	it('refuses a directory whose lock belongs to another running process', async () => {
		const other = spawn('sleep', ['30']);
		try {
			await once(other, 'spawn');
			writeFileSync(lockFile(), String(other.pid));
			expect(() => lockDataDirectory(dir)).toThrow(DataDirectoryInUseError);
			expect(() => lockDataDirectory(dir)).toThrow(`pid ${other.pid}`);
		} finally {
			other.kill();
		}
	});

	it('takes over a lock left by a process that has exited', async () => {
		const gone = spawn('true');
		await once(gone, 'exit');
		writeFileSync(lockFile(), String(gone.pid));
		const lock = lockDataDirectory(dir);
		try {
			expect(readFileSync(lockFile(), 'utf8')).toBe(String(process.pid));
		} finally {
			lock.release();
		}
	});

	it('removes the lock file on release, so the directory can be opened again', () => {
		lockDataDirectory(dir).release();
		expect(existsSync(lockFile())).toBe(false);
		lockDataDirectory(dir).release();
	});
});

// Only the embedded database has a directory to lock. Creating a new one runs initdb, which
// takes over ten seconds on two cores; the lock does not care how the directory was made, so the
// run's migrated template is unpacked into it instead and PGlite resumes it (about a second).
describe.skipIf(databaseKind === 'postgres')('openDatabase on a PGlite directory', () => {
	it('refuses to open a directory this process already has open, until the first closes', async () => {
		const pgdata = join(dir, 'pglite');
		mkdirSync(pgdata);
		execFileSync('tar', ['-xzf', inject('pgliteTemplate'), '-C', pgdata], { stdio: 'pipe' });
		const first = await openDatabase({ kind: 'pglite', dataDir: dir });
		try {
			expect(first.created).toBe(false);
			await expect(openDatabase({ kind: 'pglite', dataDir: dir })).rejects.toThrow(dir);
		} finally {
			await first.close();
		}
		expect(existsSync(lockFile())).toBe(false);
	});
});
