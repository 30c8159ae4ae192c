import type { Db } from '../db';
import { runRetention } from './retention.service';

// The night's retention, run by the server's scheduler (scheduler/jobs.ts) and by
// `npm run retention`: young people past every programme's retention period are anonymised.
// It says what it did in counts only: never a name.

export interface DailyRetention {
	youngPeopleAnonymised: number;
}

export async function runDailyRetention(db: Db, now: Date): Promise<DailyRetention> {
	const young = await runRetention(db, now);
	const summary = { youngPeopleAnonymised: young.anonymised };
	if (young.anonymised > 0) console.log(`Retention: ${young.anonymised} young people anonymised (past every programme's retention period)`);
	return summary;
}
