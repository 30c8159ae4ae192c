// `npm run retention` anonymises the young people past every programme's retention period now
// (the server also does this itself each night); `npm run retention -- --dry-run` only counts
// and lists them, by id and the day their last period ended: never a name. On PostgreSQL it
// works beside running servers. The embedded database in DATA_DIR opens in one process at a
// time: while the server holds it, this says so and leaves the run to the server.
import { databaseConfigFromEnv, openDatabase, type AppDatabase } from '../lib/server/db/database';
import { DataDirectoryInUseError } from '../lib/server/db/lock';
import { migrateToLatest } from '../lib/server/db/migrate';
import { runDailyRetention } from '../lib/server/retention/daily';
import { runRetention } from '../lib/server/retention/retention.service';
import { plural } from '../lib/format';

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function main(args: string[]): Promise<number> {
	const unknown = args.filter((a) => a !== '--dry-run');
	if (unknown.length > 0) {
		console.error(`Unknown option ${unknown[0]}: the only option is --dry-run`);
		return 2;
	}
	const dryRun = args.includes('--dry-run');
	const config = databaseConfigFromEnv();
	let database: AppDatabase;
	try {
		database = await openDatabase(config);
	} catch (error) {
		if (config.kind === 'pglite' && (error instanceof DataDirectoryInUseError || (error as { code?: string }).code === 'data_directory_in_use')) {
			console.log(`The app's server is running on the embedded database in ${config.dataDir}; it runs retention itself each night. Nothing to do here.`);
			return 0;
		}
		console.error(`Retention failed: ${message(error)}`);
		return 1;
	}
	try {
		await migrateToLatest(database.db);
		const now = new Date();
		if (dryRun) {
			const run = await runRetention(database.db, now, { dryRun: true });
			console.log(
				`Dry run on ${run.today}: ${plural(run.due.length, 'young person', 'young people')} past every programme's retention period would be anonymised.`
			);
			for (const due of run.due) console.log(`${due.id}\tkept until ${due.kept_until}`);
			return 0;
		}
		const done = await runDailyRetention(database.db, now);
		console.log(
			`Anonymised ${plural(done.youngPeopleAnonymised, 'young person', 'young people')} and ${plural(done.accountsAnonymised, 'deactivated staff account')}; ` +
				`deleted ${plural(done.sessions, 'expired session')}, ${plural(done.links, 'expired one-time link')} and ${plural(done.devices, 'expired remembered device')}; ` +
				`dropped the text of ${plural(done.emailTexts, 'email')} older than 30 days.`
		);
		return 0;
	} catch (error) {
		console.error(`Retention failed: ${message(error)}`);
		return 1;
	} finally {
		await database.close();
	}
}

process.exitCode = await main(process.argv.slice(2));
