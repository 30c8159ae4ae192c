// `npm run bench:backup`: how long a backup and a restore take, and how big the backup is, for
// the demo data on both databases and for the county data set (600 schools, 250,000 young
// people, 2.1 million marks; see county-data.ts) on PostgreSQL. Each database is made for the
// run and dropped after it: PostgreSQL ones on the server of BENCH_DATABASE_URL (default: the
// local server), embedded ones in a temporary directory. The embedded backups here are taken
// from the directory (no server running); through a running server the copy is the same work.
// Timings, not pass or fail: read them.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { hashPassword } from '../../lib/server/auth/password';
import { backupDatabase, restoreDatabase, type TableCounts } from '../../lib/server/db/backup';
import { openDatabase, type DatabaseConfig } from '../../lib/server/db/database';
import type { DB } from '../../lib/server/db/schema';
import { migrateToLatest } from '../../lib/server/db/migrate';
import { seedDemo } from '../../lib/server/demo/seed';
import { insertUser } from '../../lib/server/users/users.queries';
import { failureErrors } from '../../lib/server/result';
import { generateCountyData } from './county-data';

const serverUrl = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const demoCsv = readFileSync(new URL('../../lib/server/demo/demo-schools.csv', import.meta.url), 'utf8');
const work = mkdtempSync(join(tmpdir(), 'ypt-bench-backup-'));
const made: string[] = [];
const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();

async function emptyPostgres(name: string): Promise<DatabaseConfig> {
	const full = `ypt_bench_backup_${process.pid}_${name}`;
	await admin.query(`create database ${full}`);
	made.push(full);
	const url = new URL(serverUrl);
	url.pathname = `/${full}`;
	return { kind: 'postgres', url: url.toString(), poolSize: 2 };
}

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
const total = (counts: TableCounts) => Object.values(counts).reduce((sum, n) => sum + n, 0);

/** Backs `source` up and restores it into `target`, and says how long each took. */
async function measure(what: string, source: DatabaseConfig, target: DatabaseConfig, file: string): Promise<string> {
	let started = performance.now();
	const backup = await backupDatabase(source, file);
	if (!backup.ok) throw new Error(failureErrors(backup).form);
	const backupTime = seconds(started);
	started = performance.now();
	const restore = await restoreDatabase(target, file);
	if (!restore.ok) throw new Error(failureErrors(restore).form);
	const restoreTime = seconds(started);
	const size = (statSync(file).size / 2 ** 20).toFixed(1);
	return `${what.padEnd(34)} ${total(backup.counts).toLocaleString('en-GB').padStart(10)} rows  backup ${backupTime.padStart(7)}  ${size.padStart(7)} MB  restore ${restoreTime.padStart(7)}`;
}

/** Migrates the database and fills it with `fill`. */
async function prepare(config: DatabaseConfig, fill: (db: Kysely<DB>) => Promise<unknown>): Promise<void> {
	const database = await openDatabase(config);
	try {
		await migrateToLatest(database.db);
		await fill(database.db);
	} finally {
		await database.close();
	}
}

const lines: string[] = [];
try {
	const demoPostgres = await emptyPostgres('demo');
	await prepare(demoPostgres, (db) => seedDemo(db, demoCsv));
	lines.push(await measure('Demo, PostgreSQL', demoPostgres, await emptyPostgres('demo_restored'), join(work, 'demo.dump')));

	const demoEmbedded: DatabaseConfig = { kind: 'pglite', dataDir: join(work, 'demo-embedded') };
	await prepare(demoEmbedded, (db) => seedDemo(db, demoCsv));
	lines.push(await measure('Demo, embedded', demoEmbedded, { kind: 'pglite', dataDir: join(work, 'demo-restored') }, join(work, 'demo.tgz')));

	const county = await emptyPostgres('county');
	let loaded = '';
	await prepare(county, async (db) => {
		const lead = await insertUser(db, {
			email: 'bench-backup-lead@example.org',
			name: 'Bench backup lead',
			role: 'lead',
			schoolId: null,
			status: 'active',
			passwordHash: await hashPassword(crypto.randomUUID())
		});
		const figures = await generateCountyData(db, lead.id);
		loaded = `${figures.marks.toLocaleString('en-GB')} marks, loaded in ${figures.seconds.toFixed(0)} s`;
	});
	lines.push((await measure('County data set, PostgreSQL', county, await emptyPostgres('county_restored'), join(work, 'county.dump'))) + `  (${loaded})`);
} finally {
	for (const name of made) await admin.query(`drop database if exists ${name} with (force)`);
	await admin.end();
	rmSync(work, { recursive: true, force: true });
}
console.log(
	`Machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown'}), load average ${loadavg()
		.map((n) => n.toFixed(1))
		.join(' ')}, Node ${process.version}`
);
for (const line of lines) console.log(line);
