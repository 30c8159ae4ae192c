import type { Transaction } from 'kysely';
import type { DB } from '../db/schema';

/**
 * Claims a daily job for a UK day: true for the one transaction whose row went in. Another
 * process inserting the same (job, day) at the same moment waits on the primary key until this
 * transaction ends, then inserts nothing if it committed, or claims the day if it rolled back.
 */
export async function insertScheduledRun(trx: Transaction<DB>, job: string, day: string): Promise<boolean> {
	const row = await trx
		.insertInto('scheduled_run')
		.values({ job, day })
		.onConflict((oc) => oc.columns(['job', 'day']).doNothing())
		.returning('job')
		.executeTakeFirst();
	return row !== undefined;
}
