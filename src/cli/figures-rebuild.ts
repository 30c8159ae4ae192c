// `npm run figures:rebuild` counts the report figures again from every record, as a whole: the
// repair tool for figures that were kept change by change (reports/rollups.ts). It takes the
// same lock as the app's own counts, and every app process on PostgreSQL hears of it when it
// commits and drops the reports it kept. The embedded database in DATA_DIR opens in one process
// at a time: while the server holds it, stop the server first (it rebuilds the figures as it starts).
import { databaseConfigFromEnv, openDatabase, type AppDatabase } from '../lib/server/db/database';
import { DataDirectoryInUseError } from '../lib/server/db/lock';
import { migrateToLatest } from '../lib/server/db/migrate';
import { refreshRollups } from '../lib/server/reports/rollups';

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function main(): Promise<number> {
	const config = databaseConfigFromEnv();
	let database: AppDatabase;
	try {
		database = await openDatabase(config);
	} catch (error) {
		if (config.kind === 'pglite' && (error instanceof DataDirectoryInUseError || (error as { code?: string }).code === 'data_directory_in_use')) {
			console.error(`The app's server holds the embedded database in ${config.dataDir}: stop it, and it rebuilds the figures as it starts again.`);
			return 1;
		}
		throw error;
	}
	try {
		await migrateToLatest(database.db);
		const state = await refreshRollups(database.db);
		console.log(`Report figures rebuilt in ${state.tookMs} ms.`);
		return 0;
	} catch (error) {
		console.error(`The report figures could not be rebuilt: ${message(error)}`);
		return 1;
	} finally {
		await database.close();
	}
}

process.exitCode = await main();
