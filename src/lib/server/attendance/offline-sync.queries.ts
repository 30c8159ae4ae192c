import type { Db } from '../db';

export interface ClientChangeRow {
	clientId: string;
	sessionId: string;
	recordedBy: string;
	changeHash: string;
	outcome: 'saved' | 'conflict';
}

/** The changes already applied among these client-made ids, with what each said (as a hash) and how it went. */
export async function listClientChanges(db: Db, clientIds: readonly string[]) {
	if (clientIds.length === 0) return [];
	return db.selectFrom('attendance_client_change').select(['client_id', 'session_id', 'change_hash', 'outcome']).where('client_id', 'in', clientIds).execute();
}

/** Keeps the ids of changes just applied, in the transaction that applied them. */
export async function insertClientChanges(db: Db, rows: readonly ClientChangeRow[], at: Date): Promise<void> {
	if (rows.length === 0) return;
	await db
		.insertInto('attendance_client_change')
		.values(
			rows.map((r) => ({
				client_id: r.clientId,
				session_id: r.sessionId,
				recorded_by: r.recordedBy,
				change_hash: r.changeHash,
				outcome: r.outcome,
				applied_at: at
			}))
		)
		.execute();
}
