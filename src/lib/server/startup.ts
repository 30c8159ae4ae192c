import { currentDatabase, getDb, startDatabase, stopDatabase, type Db } from './db';
import { answerBackupRequests } from './db/backup-embedded';
import { suppressionThreshold } from './reports/disclosure';
import { migrateToLatest } from './db/migrate';
import { describeSignIns, hasAnyUser, hasDemoUsers, seedDemo } from './demo/seed';
import { pruneAttempts } from './auth/throttle';
import { passwordResetsWritten } from './auth/auth.service';
import { appScheduler, reminderHour } from './scheduler/jobs';
import type { Scheduler } from './scheduler/scheduler';
import demoSchoolsCsv from './demo/demo-schools.csv?raw';
import { letHeapGrow } from './heap';

let scheduler: Scheduler | undefined;

/**
 * Opens the database, applies migrations and, on an empty embedded database, seeds the demo
 * so `npm start` on a fresh clone shows a working app. Nothing is seeded on PostgreSQL unless
 * `npm run db:seed-demo` is run.
 */
export async function startApp(): Promise<void> {
	// A mistyped setting is reported now, not when someone first opens a report or at 7 tomorrow.
	suppressionThreshold();
	reminderHour();
	const { db, kind, location, created } = await startDatabase();
	if (kind === 'postgres') letHeapGrow();
	const applied = await migrateToLatest(db);
	for (const line of applied) console.log(`Database: ${line}`);
	await pruneAttempts(db);
	if (kind === 'pglite') await prepareEmbedded(db, location, created === true);
	// `npm run db:backup` asks this process for the embedded database's copy (it holds the lock).
	if (kind === 'pglite' && location) answerBackupRequests(location, currentDatabase);
	// The outbox's sender, the day's reminders and the report figures' rebuild.
	scheduler = appScheduler(getDb);
	scheduler.start();
}

async function prepareEmbedded(db: Db, location: string | undefined, created: boolean): Promise<void> {
	if (!(await hasAnyUser(db))) {
		await seedDemo(db, demoSchoolsCsv);
		console.log(`Seeded demo data into ${location}.`);
	}
	if (await hasDemoUsers(db)) console.log(describeSignIns());
	if (created) {
		// Creating a data directory grows PGlite's WebAssembly memory to about 800 MB, which it never
		// gives back; reopened, the same database needs about 380 MB.
		await stopDatabase();
		await startDatabase();
	}
}

/** Stops the scheduler (waiting for the work under way), then closes the database. */
export async function stopApp(): Promise<void> {
	await scheduler?.stop();
	await passwordResetsWritten();
	scheduler = undefined;
	await stopDatabase();
}
