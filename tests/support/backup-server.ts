// A stand-in for the app server in tests/server/db/backup.test.ts (the real one needs a build):
// it holds the embedded database in the directory given, answers backup requests through the
// same call the server makes at start-up, and keeps writing meanwhile, two audit rows a
// transaction, so a copy holding half a transaction would show an odd number.
import { openDatabase } from '../../src/lib/server/db/database';
import { answerBackupRequests } from '../../src/lib/server/db/backup-embedded';
import { insertAuditEvents } from '../../src/lib/server/audit/audit.queries';
import { withTransaction } from '../../src/lib/server/db/transaction';

const dataDir = process.argv[2]!;
const database = await openDatabase({ kind: 'pglite', dataDir });
answerBackupRequests(dataDir, () => database);

let writing = true;
const writes = (async () => {
	while (writing) {
		// A pause inside each transaction: a backup asked for now nearly always finds one open.
		await withTransaction(database.db, async (trx) => {
			await insertAuditEvents(trx, [{ actorId: null, action: 'test.backup_pair', detail: { half: 1 } }]);
			await new Promise((r) => setTimeout(r, 5));
			await insertAuditEvents(trx, [{ actorId: null, action: 'test.backup_pair', detail: { half: 2 } }]);
		});
		await new Promise((r) => setTimeout(r, 5)); // gentle on a shared machine
	}
})();

process.once('SIGTERM', async () => {
	writing = false;
	await writes;
	await database.close();
	process.exit(0);
});
console.log('ready');
