import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type DatabaseConfig } from '../../../src/lib/server/db/database';
import { migrateToLatest } from '../../../src/lib/server/db/migrate';
import { backupDatabase, countRows, countsFile, restoreDatabase, type TableCounts } from '../../../src/lib/server/db/backup';
import { seedDemo } from '../../../src/lib/server/demo/seed';
import { copyPostgresTemplate, databaseKind } from '../../support/database';
import { adminUrl, databaseUrl } from '../../support/postgres';

// A backup is good when the app can run on its restore: each one here is restored into a scratch
// database, which the app opens and migrates (nothing to apply) and whose every table has the
// rows the backed-up database had.

const demoCsv = readFileSync(new URL('../../../src/lib/server/demo/demo-schools.csv', import.meta.url), 'utf8');
const SLOW = 90_000;

let dir: string;
beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'ypt-backup-'));
});
afterAll(() => {
	rmSync(dir, { recursive: true, force: true });
});

/** Opens a restored database as the app would, and counts its rows. */
async function countAsTheAppOpensIt(config: DatabaseConfig): Promise<{ pending: string[]; counts: TableCounts }> {
	const database = await openDatabase(config);
	try {
		return { pending: await migrateToLatest(database.db), counts: await countRows(database.db) };
	} finally {
		await database.close();
	}
}

/** The seeded database's counts are worth comparing: every table is there, the demo's rows too. */
function expectSeeded(counts: TableCounts) {
	expect(Object.keys(counts)).toEqual(expect.arrayContaining(['school', 'app_user', 'young_person', 'booking', 'kysely_migration']));
	expect(counts.school).toBeGreaterThan(0);
	expect(counts.young_person).toBeGreaterThan(0);
}

// A fresh PGlite directory takes over ten seconds to create, so the run's migrated template is
// unpacked into one instead (as in lock.test.ts).
function embeddedDirectoryFromTemplate(name: string): string {
	const dataDir = join(dir, name);
	mkdirSync(join(dataDir, 'pglite'), { recursive: true });
	execFileSync('tar', ['-xzf', inject('pgliteTemplate'), '-C', join(dataDir, 'pglite')], { stdio: 'pipe' });
	return dataDir;
}

describe.skipIf(databaseKind === 'postgres')('backups of the embedded database', () => {
	let source: string;
	let seeded: TableCounts;
	let idleBackup: string;
	let idleResult: Awaited<ReturnType<typeof backupDatabase>>;

	beforeAll(async () => {
		source = embeddedDirectoryFromTemplate('source');
		const database = await openDatabase({ kind: 'pglite', dataDir: source });
		try {
			await seedDemo(database.db, demoCsv);
			seeded = await countRows(database.db);
		} finally {
			await database.close();
		}
		expectSeeded(seeded);
		// Taken with no server running; restored below, and refused where it must not go.
		idleBackup = join(dir, 'copies', 'idle.tgz');
		idleResult = await backupDatabase({ kind: 'pglite', dataDir: source }, idleBackup);
	}, SLOW);

	it(
		'copies a directory no server holds, and restores it into an empty one with every row',
		async () => {
			const file = idleBackup;
			expect(idleResult).toMatchObject({ ok: true, via: 'directory', counts: seeded });
			// Backups hold personal data: only their owner may read them.
			expect(statSync(file).mode & 0o777).toBe(0o600);

			const target = join(dir, 'restored-idle');
			expect(await restoreDatabase({ kind: 'pglite', dataDir: target }, file)).toMatchObject({ ok: true, checked: true });
			expect(await countAsTheAppOpensIt({ kind: 'pglite', dataDir: target })).toEqual({ pending: [], counts: seeded });
		},
		SLOW
	);

	it(
		'asks the running server for the copy, which holds whole transactions only',
		async () => {
			const server: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'tests/support/backup-server.ts', source], {
				stdio: ['ignore', 'pipe', 'inherit']
			});
			try {
				const [ready] = (await once(server.stdout!, 'data')) as [Buffer];
				expect(ready.toString()).toContain('ready');
				// Elsewhere than the server's backups directory, so the file is moved to it too.
				const file = join(dir, 'copies', 'running.tgz');
				const backup = await backupDatabase({ kind: 'pglite', dataDir: source }, file);
				expect(backup).toMatchObject({ ok: true, via: 'server' });
				if (!backup.ok) return;
				expect(backup.counts.audit_event).toBeGreaterThan(seeded.audit_event!);

				const target = join(dir, 'restored-running');
				expect(await restoreDatabase({ kind: 'pglite', dataDir: target }, file)).toMatchObject({ ok: true, checked: true });
				const restored = await countAsTheAppOpensIt({ kind: 'pglite', dataDir: target });
				expect(restored).toEqual({ pending: [], counts: backup.counts });
				expect((restored.counts.audit_event! - seeded.audit_event!) % 2).toBe(0);
			} finally {
				if (server.exitCode === null && server.signalCode === null) {
					const exited = once(server, 'exit');
					server.kill('SIGTERM');
					await exited;
				}
			}
		},
		SLOW
	);

	it(
		'refuses to restore into a directory that holds a database, and leaves it as it was',
		async () => {
			const target = embeddedDirectoryFromTemplate('not-empty');
			const refused = await restoreDatabase({ kind: 'pglite', dataDir: target }, idleBackup);
			expect(refused).toMatchObject({ ok: false, code: 'refused', reason: 'not_empty' });
			if (!refused.ok && refused.code === 'refused') expect(refused.message).toContain(target);
			// Still the migrated template it was: no school in it.
			expect(await countAsTheAppOpensIt({ kind: 'pglite', dataDir: target })).toMatchObject({ pending: [], counts: { school: 0 } });
		},
		SLOW
	);

	it('refuses a file that is not a backup, and a PostgreSQL backup, with what to do', async () => {
		const target = join(dir, 'never');
		expect(await restoreDatabase({ kind: 'pglite', dataDir: target }, countsFile(idleBackup))).toMatchObject({
			ok: false,
			reason: 'not_a_backup'
		});
		expect(await restoreDatabase({ kind: 'pglite', dataDir: target }, join(dir, 'missing.tgz'))).toMatchObject({ ok: false, reason: 'no_file' });
		expect(existsSync(join(target, 'pglite'))).toBe(false);
	});
});

describe.skipIf(databaseKind !== 'postgres')('backups of PostgreSQL', () => {
	let source: Awaited<ReturnType<typeof copyPostgresTemplate>>;
	let seeded: TableCounts;
	const scratch: string[] = [];

	/** A new, empty database on the test server, dropped after the file's tests. */
	async function emptyDatabase(): Promise<string> {
		const name = `ypt_test_${process.pid}_restore_${scratch.length}`;
		const admin = new pg.Client({ connectionString: adminUrl() });
		await admin.connect();
		try {
			await admin.query(`drop database if exists ${name}`);
			await admin.query(`create database ${name}`);
		} finally {
			await admin.end();
		}
		scratch.push(name);
		return databaseUrl(name);
	}

	beforeAll(async () => {
		source = await copyPostgresTemplate(2);
		await seedDemo(source.db, demoCsv);
		seeded = await countRows(source.db);
		expectSeeded(seeded);
	});
	afterAll(async () => {
		await source?.close();
		const admin = new pg.Client({ connectionString: adminUrl() });
		await admin.connect();
		try {
			for (const name of scratch) await admin.query(`drop database if exists ${name} with (force)`);
		} finally {
			await admin.end();
		}
	});

	it(
		'dumps with pg_dump and restores into an empty database with every row',
		async () => {
			const file = join(dir, 'copies', 'postgres.dump');
			expect(await backupDatabase({ kind: 'postgres', url: source.url }, file)).toMatchObject({ ok: true, via: 'pg_dump', counts: seeded });
			expect(statSync(file).mode & 0o777).toBe(0o600);

			const target = await emptyDatabase();
			expect(await restoreDatabase({ kind: 'postgres', url: target }, file)).toMatchObject({ ok: true, checked: true });
			expect(await countAsTheAppOpensIt({ kind: 'postgres', url: target })).toEqual({ pending: [], counts: seeded });
		},
		SLOW
	);

	it(
		'refuses to restore into a database that has tables, and leaves it as it was',
		async () => {
			const file = join(dir, 'copies', 'postgres-refused.dump');
			expect(await backupDatabase({ kind: 'postgres', url: source.url }, file)).toMatchObject({ ok: true });
			const target = await emptyDatabase();
			const database = await openDatabase({ kind: 'postgres', url: target });
			await sql`create table kept (id int)`.execute(database.db);
			await sql`insert into kept values (1)`.execute(database.db);
			await database.close();

			const refused = await restoreDatabase({ kind: 'postgres', url: target }, file);
			expect(refused).toMatchObject({ ok: false, code: 'refused', reason: 'not_empty' });
			const after = await openDatabase({ kind: 'postgres', url: target });
			expect(await countRows(after.db)).toEqual({ kept: 1 });
			await after.close();
		},
		SLOW
	);

	it('says which client tools to install when pg_dump is not on the PATH', async () => {
		const path = process.env.PATH;
		process.env.PATH = join(dir, 'no-tools');
		try {
			const result = await backupDatabase({ kind: 'postgres', url: source.url }, join(dir, 'copies', 'no-tools.dump'));
			expect(result).toMatchObject({ ok: false, reason: 'tools_missing', message: expect.stringMatching(/apt install postgresql-client-\d+/) });
		} finally {
			process.env.PATH = path;
		}
	});

	it('refuses an embedded backup, saying how to restore it', async () => {
		const embedded = join(dir, 'fake.tgz');
		execFileSync('sh', ['-c', `echo x | gzip > ${embedded}`]);
		expect(await restoreDatabase({ kind: 'postgres', url: source.url }, embedded)).toMatchObject({ ok: false, reason: 'wrong_kind' });
	});
});
