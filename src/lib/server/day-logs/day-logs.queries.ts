import type { Db } from '../db';

export interface DayLogChangeRow {
	clientId: string;
	programmeId: string;
	kind: 'meeting' | 'award_day';
	recordedBy: string;
	changeHash: string;
	outcome: 'saved' | 'conflict';
}

/** The meetings and award days already applied among these client-made ids, with what each said (as a hash) and how it went. */
export async function listDayLogChanges(db: Db, clientIds: readonly string[]) {
	if (clientIds.length === 0) return [];
	return db.selectFrom('day_log_client_change').select(['client_id', 'change_hash', 'outcome']).where('client_id', 'in', clientIds).execute();
}

/** Keeps the ids of changes just applied, in the transaction that applied them. */
export async function insertDayLogChanges(db: Db, rows: readonly DayLogChangeRow[], at: Date): Promise<void> {
	if (rows.length === 0) return;
	await db
		.insertInto('day_log_client_change')
		.values(
			rows.map((r) => ({
				client_id: r.clientId,
				programme_id: r.programmeId,
				kind: r.kind,
				recorded_by: r.recordedBy,
				change_hash: r.changeHash,
				outcome: r.outcome,
				applied_at: at
			}))
		)
		.execute();
}
