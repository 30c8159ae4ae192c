// `npm run bench`: measures what the issues set budgets for and prints a table. It makes a
// throwaway PostgreSQL database on the server of BENCH_DATABASE_URL (default: the local server),
// migrates it, runs each benchmark, and drops it. Timings, not pass or fail: read them.
import { availableParallelism, cpus, totalmem } from 'node:os';
import pg from 'pg';
import { openDatabase } from '../lib/server/db/database';
import { migrateToLatest } from '../lib/server/db/migrate';
import { benchBookingContention } from './bench/bookings';
import { benchCounty } from './bench/county';
import { benchHeadcountSave } from './bench/headcounts';
import { benchRegisterSave } from './bench/registers';
import { benchRotation } from './bench/rotation';
import { benchYoungPeopleImport } from './bench/young-people-import';

const serverUrl = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `ypt_bench_${process.pid}`;
const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
await admin.query(`create database ${name}`);
const url = new URL(serverUrl);
url.pathname = `/${name}`;

const rows: { name: string; figure: string }[] = [];
try {
	const database = await openDatabase({ kind: 'postgres', url: url.toString() });
	await migrateToLatest(database.db);
	await database.close();
	if (!process.env.BENCH_COUNTY_ONLY) {
		rows.push(...(await benchRotation()));
		rows.push(...(await benchBookingContention(url.toString())));
		rows.push(...(await benchRegisterSave(url.toString())));
		rows.push(...(await benchRegisterSave()));
		rows.push(...(await benchHeadcountSave(url.toString())));
		rows.push(...(await benchHeadcountSave()));
		rows.push(...(await benchYoungPeopleImport(url.toString())));
	}
	rows.push(...(await benchCounty(url.toString())));
	// On the county data set still in the database: how soon the figures follow a change across
	// two processes, and a register save's cost with and without keeping them up to date.
	rows.push(...(await (await import('./bench/figures-upkeep')).benchFiguresUpkeep(url.toString())));
	console.log(`Machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}`);
	const width = Math.max(...rows.map((r) => r.name.length));
	for (const row of rows) console.log(`${row.name.padEnd(width)}  ${row.figure}`);
} finally {
	// The county benchmark's app server may still be letting go of its connections.
	await admin.query(`drop database if exists ${name} with (force)`);
	await admin.end();
}
