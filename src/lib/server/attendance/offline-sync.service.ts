import { createHash } from 'node:crypto';
import { withTransaction, type Db } from '../db';
import { insertAuditEvent } from '../audit/audit.queries';
import type { Actor } from '../auth/session';
import type { AttendanceStatus } from '../db/schema';
import { ok, refused, type Result } from '../result';
import { lockSession } from '../sessions/sessions.queries';
import { getAttendanceSession, getRegister, saveMarks, type MarkConflict } from './attendance.service';
import { insertClientChanges, listClientChanges } from './offline-sync.queries';
import { syncChangesFromJson, type SyncChange } from './offline-sync.schema';

// A named register kept on a tablet for a day without signal, in the way offline check-in
// tools work: download the register (the manifest) first, mark on the device, queue the
// changes, send them when the connection returns, then download the register again to see
// what others changed. Each change carries an id the device made, so a change sent twice is
// applied once; the marks themselves are saved by saveMarks, the same path as the form's.

/** One row of a register kept on a device. */
export interface ManifestRow {
	id: string;
	name: string;
	school: string;
	status: AttendanceStatus | null;
	/** The mark's version, null with no mark: a change made on the device is based on it. */
	version: number | null;
}

/** A named register as a device keeps it: its rows, and what the programme calls each status. */
export async function getRegisterManifest(db: Db, actor: Actor, sessionId: string, now = new Date()) {
	const { session, schools, labels } = await getRegister(db, actor, sessionId);
	const rows: ManifestRow[] = schools.flatMap((school) =>
		school.people.map((p) => ({ id: p.id, name: `${p.lastName}, ${p.firstName}`, school: school.schoolName, status: p.mark, version: p.version }))
	);
	return { sessionId: session.id, startsAt: session.starts_at, fetchedAt: now, labels, rows };
}

/** How one change of a batch went: saved (or already as asked), or not saved because someone else changed the mark first. */
export type ChangeOutcome =
	{ clientId: string; outcome: 'saved'; repeated: boolean } | { clientId: string; outcome: 'conflict'; repeated: boolean; conflict?: MarkConflict };

/** What a change says, with who sent it, as a one-way hash: a client id sent again must say the same. */
function hashOf(actor: Actor, sessionId: string, change: SyncChange): string {
	return createHash('sha256')
		.update(JSON.stringify([actor.id, sessionId, change.youngPersonId, change.status, change.basedOn]))
		.digest('hex');
}

async function auditRefusal(db: Db, actor: Actor, sessionId: string, reason: string, changes: number) {
	await insertAuditEvent(db, {
		actorId: actor.id,
		action: 'attendance.save_refused',
		entityType: 'session',
		entityId: sessionId,
		detail: { reason, changes, offline: true },
		address: actor.address
	});
}

/**
 * Applies a batch of changes sent by a register kept on a device, idempotently: a change whose
 * client id was applied before is answered with its first outcome and not applied again; the
 * others are saved by saveMarks in the same transaction that keeps their ids, so either both
 * happen or neither. A client id sent before with a different change, a batch that cannot be
 * read, and everything saveMarks refuses (someone not on the register, a version from the
 * future) refuse the whole batch, and are audited. A session the actor may not mark is a 404.
 */
export async function syncMarks(
	db: Db,
	actor: Actor,
	sessionId: string,
	body: unknown,
	now = new Date()
): Promise<Result<{ results: ChangeOutcome[]; sent: number; conflicts: MarkConflict[] }>> {
	await getAttendanceSession(db, actor, sessionId);
	const parsed = syncChangesFromJson(body);
	if ('problem' in parsed) {
		await auditRefusal(db, actor, sessionId, 'invalid_batch', 0);
		return refused('invalid_batch', parsed.problem);
	}
	// The same change twice in one batch (a queue sent while a previous send was lost) is one change.
	const byId = new Map<string, { change: SyncChange; hash: string }>();
	for (const change of parsed.changes) {
		const hash = hashOf(actor, sessionId, change);
		const seen = byId.get(change.clientId);
		if (seen && seen.hash !== hash) {
			await auditRefusal(db, actor, sessionId, 'client_id_reused', parsed.changes.length);
			return refused('client_id_reused', 'Two different changes were sent with the same id: reload the register and make your changes again');
		}
		byId.set(change.clientId, { change, hash });
	}
	const batch = [...byId.values()];
	return withTransaction(db, async (trx) => {
		// Under the session's lock, so a batch sent twice at once is applied by one and answered to the other.
		await lockSession(trx, sessionId);
		const earlier = new Map((await listClientChanges(trx, [...byId.keys()])).map((r) => [r.client_id, r]));
		if (batch.some(({ change, hash }) => earlier.has(change.clientId) && earlier.get(change.clientId)!.change_hash !== hash)) {
			await auditRefusal(trx, actor, sessionId, 'client_id_reused', batch.length);
			return refused('client_id_reused', 'A change was sent with the id of a different change: reload the register and make your changes again');
		}
		const fresh = batch.filter(({ change }) => !earlier.has(change.clientId)).map(({ change }) => change);
		const saved =
			fresh.length === 0
				? ok({ saved: 0, changed: 0, conflicts: [] as MarkConflict[] })
				: await saveMarks(
						trx,
						actor,
						sessionId,
						fresh.map((c) => ({ youngPersonId: c.youngPersonId, status: c.status, basedOn: c.basedOn })),
						now
					);
		if (!saved.ok) return saved;
		const conflictOf = new Map(saved.conflicts.map((c) => [c.youngPersonId, c]));
		await insertClientChanges(
			trx,
			fresh.map((c) => ({
				clientId: c.clientId,
				sessionId,
				recordedBy: actor.id,
				changeHash: byId.get(c.clientId)!.hash,
				outcome: conflictOf.has(c.youngPersonId) ? 'conflict' : 'saved'
			})),
			now
		);
		const results: ChangeOutcome[] = batch.map(({ change }) => {
			const before = earlier.get(change.clientId);
			if (before) return { clientId: change.clientId, outcome: before.outcome, repeated: true };
			const conflict = conflictOf.get(change.youngPersonId);
			return conflict
				? { clientId: change.clientId, outcome: 'conflict', repeated: false, conflict }
				: { clientId: change.clientId, outcome: 'saved', repeated: false };
		});
		return ok({ results, sent: fresh.length - saved.conflicts.length, conflicts: saved.conflicts });
	});
}
