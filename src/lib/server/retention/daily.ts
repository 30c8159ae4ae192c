import type { Db } from '../db';
import { runRetention } from './retention.service';
import { runStaffRetention, type StaffRetention } from './staff';

// The night's retention, run by the server's scheduler (scheduler/jobs.ts) and by
// `npm run retention`: young people past every programme's retention period are anonymised,
// and staff accounts, sign-in records and email texts past theirs go (staff.ts). It says what
// it did in counts only: never a name.

export interface DailyRetention extends StaffRetention {
	youngPeopleAnonymised: number;
}

export async function runDailyRetention(db: Db, now: Date, env: NodeJS.ProcessEnv = process.env): Promise<DailyRetention> {
	const young = await runRetention(db, now);
	const staff = await runStaffRetention(db, now, env);
	const summary = { youngPeopleAnonymised: young.anonymised, ...staff };
	const counts = Object.entries(summary).filter(([, n]) => n > 0);
	if (counts.length > 0) console.log(`Retention: ${counts.map(([what, n]) => `${what} ${n}`).join(', ')}`);
	return summary;
}
