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
export function hashOf(actor: Actor, sessionId: string, ...said: unknown[]): string {
	return createHash('sha256')
		.update(JSON.stringify([actor.id, sessionId, ...said]))
		.digest('hex');
}

/** A batch from a device refused: audited by session id, with the reason and how many changes it held, never what they said. */
export async function auditOfflineRefusal(db: Db, actor: Actor, sessionId: string, reason: string, changes: number, detail: Record<string, unknown> = {}) {
	await insertAuditEvent(db, {
		actorId: actor.id,
		action: 'attendance.save_refused',
		entityType: 'session',
		entityId: sessionId,
		detail: { reason, changes, offline: true, ...detail },
		address: actor.address
	});
}

/** How each change of a batch went, by client id; `repeated` when it was applied by an earlier send. */
export interface BatchOutcome {
	clientId: string;
	outcome: 'saved' | 'conflict';
	repeated: boolean;
}

/**
 * Applies a batch of changes from a device once each, whatever they change (marks, counts):
 * under the session's lock, a change whose client id was applied before is answered with its
 * first outcome and not applied again; `apply` saves the others, in the same transaction that
 * keeps their ids with a hash of what they said, so either both happen or neither, and names
 * the client ids it did not apply because someone else changed the record first. A client id
 * sent with a different change than before (in this batch or an earlier one) refuses the whole
 * batch, as does any refusal of `apply`; refusals are audited (`apply` audits its own).
 */
export async function applyOnce<C extends { clientId: string }, T extends object>(
	db: Db,
	actor: Actor,
	sessionId: string,
	changes: readonly C[],
	hash: (change: C) => string,
	apply: (trx: Db, fresh: C[]) => Promise<Result<T & { conflicted: ReadonlySet<string> }>>,
	now: Date,
	detail: Record<string, unknown> = {}
): Promise<Result<T & { results: BatchOutcome[] }>> {
	// The same change twice in one batch (a queue sent while a previous send was lost) is one change.
	const byId = new Map<string, { change: C; hash: string }>();
	for (const change of changes) {
		const said = hash(change);
		const seen = byId.get(change.clientId);
		if (seen && seen.hash !== said) {
			await auditOfflineRefusal(db, actor, sessionId, 'client_id_reused', changes.length, detail);
			return refused('client_id_reused', 'Two different changes were sent with the same id: reload the register and make your changes again');
		}
		byId.set(change.clientId, { change, hash: said });
	}
	const batch = [...byId.values()];
	return withTransaction(db, async (trx) => {
		// Under the session's lock, so a batch sent twice at once is applied by one and answered to the other.
		await lockSession(trx, sessionId);
		const earlier = new Map((await listClientChanges(trx, [...byId.keys()])).map((r) => [r.client_id, r]));
		if (batch.some(({ change, hash }) => earlier.has(change.clientId) && earlier.get(change.clientId)!.change_hash !== hash)) {
			await auditOfflineRefusal(trx, actor, sessionId, 'client_id_reused', batch.length, detail);
			return refused('client_id_reused', 'A change was sent with the id of a different change: reload the register and make your changes again');
		}
		const fresh = batch.filter(({ change }) => !earlier.has(change.clientId)).map(({ change }) => change);
		const applied = await apply(trx, fresh);
		if (!applied.ok) return applied;
		await insertClientChanges(
			trx,
			fresh.map((c) => ({
				clientId: c.clientId,
				sessionId,
				recordedBy: actor.id,
				changeHash: byId.get(c.clientId)!.hash,
				outcome: applied.conflicted.has(c.clientId) ? 'conflict' : 'saved'
			})),
			now
		);
		const results: BatchOutcome[] = batch.map(({ change }) => {
			const before = earlier.get(change.clientId);
			if (before) return { clientId: change.clientId, outcome: before.outcome, repeated: true };
			return { clientId: change.clientId, outcome: applied.conflicted.has(change.clientId) ? 'conflict' : 'saved', repeated: false };
		});
		return ok({ ...applied, results });
	});
}

/**
 * Applies a batch of changes sent by a register kept on a device, idempotently (applyOnce): the
 * marks are saved by saveMarks, the form's own path. A client id sent before with a different
 * change, a batch that cannot be read, and everything saveMarks refuses (someone not on the
 * register, a version from the future) refuse the whole batch, and are audited. A session the
 * actor may not mark is a 404.
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
		await auditOfflineRefusal(db, actor, sessionId, 'invalid_batch', 0);
		return refused('invalid_batch', parsed.problem);
	}
	const applied = await applyOnce(
		db,
		actor,
		sessionId,
		parsed.changes,
		(c: SyncChange) => hashOf(actor, sessionId, c.youngPersonId, c.status, c.basedOn),
		async (trx, fresh) => {
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
			const conflicted = new Set(saved.conflicts.map((c) => c.youngPersonId));
			return ok({
				conflicts: saved.conflicts,
				sent: fresh.length - saved.conflicts.length,
				conflicted: new Set(fresh.filter((c) => conflicted.has(c.youngPersonId)).map((c) => c.clientId))
			});
		},
		now
	);
	if (!applied.ok) return applied;
	const conflictOf = new Map(applied.conflicts.map((c) => [c.youngPersonId, c]));
	const changeOf = new Map(parsed.changes.map((c) => [c.clientId, c]));
	const results: ChangeOutcome[] = applied.results.map((r) =>
		r.outcome === 'conflict' && !r.repeated ? { ...r, outcome: 'conflict', conflict: conflictOf.get(changeOf.get(r.clientId)!.youngPersonId) } : r
	);
	return ok({ results, sent: applied.sent, conflicts: applied.conflicts });
}
