import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import { withTransaction, type Db } from '../db';
import { insertAuditEvent } from '../audit/audit.queries';
import type { Actor } from '../auth/session';
import type { AttendanceStatus, DB } from '../db/schema';
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

/** How a change applied before went, kept by its client id with a hash of what it said. */
export interface AppliedChange {
	client_id: string;
	change_hash: string;
	outcome: 'saved' | 'conflict';
}

/**
 * What differs between the kinds of batch a device sends (a register's, a day page's): the lock
 * the batch is applied under, the table that keeps the client ids applied, how a refusal is
 * audited and what the device is told of a client id sent with a different change.
 */
export interface ApplyOnceUnder {
	/** Taken first in the batch's transaction, so a batch sent twice at once is applied by one and answered to the other. */
	lock: (trx: Transaction<DB>) => Promise<unknown>;
	/** The changes applied before among these client ids. */
	listApplied: (trx: Transaction<DB>, clientIds: string[]) => Promise<AppliedChange[]>;
	/** Keeps the client ids applied now, in the transaction that applied them. */
	keepApplied: (trx: Transaction<DB>, applied: { clientId: string; changeHash: string; outcome: 'saved' | 'conflict' }[], now: Date) => Promise<void>;
	/** Audits a batch refused, by its reason and how many changes it held, never what they said. */
	auditRefusal: (db: Db, reason: string, changes: number) => Promise<void>;
	/** What the device is told of a client id sent with a different change: twice in this batch, or in an earlier one. */
	reused: { inBatch: string; earlier: string };
	/**
	 * Where the refusals met in the transaction are audited: `within` it, a client id reused
	 * from an earlier batch alone (`apply` audits its own); or `after` it, every refusal,
	 * `apply`'s too (nothing of the batch was written).
	 */
	auditRefused: 'within' | 'after';
}

/**
 * Applies a batch of changes from a device once each, whatever they change (marks, counts,
 * meetings, award days): under `under.lock`, a change whose client id was applied before is
 * answered with its first outcome and not applied again; `apply` checks and saves the others, in
 * the same transaction that keeps their ids with a hash of what they said, so either both happen
 * or neither, and names the client ids it did not apply because someone else changed the record
 * first. A client id sent with a different change than before (in this batch or an earlier one)
 * refuses the whole batch, as does any refusal of `apply`; refusals are audited as
 * `under.auditRefused` says.
 */
export async function applyEachOnce<C extends { clientId: string }, T extends object>(
	db: Db,
	under: ApplyOnceUnder,
	changes: readonly C[],
	hash: (change: C) => string,
	apply: (trx: Transaction<DB>, fresh: C[]) => Promise<Result<T & { conflicted: ReadonlySet<string> }>>,
	now: Date
): Promise<Result<T & { results: BatchOutcome[] }>> {
	// The same change twice in one batch (a queue sent while a previous send was lost) is one change.
	const byId = new Map<string, { change: C; hash: string }>();
	for (const change of changes) {
		const said = hash(change);
		const seen = byId.get(change.clientId);
		if (seen && seen.hash !== said) {
			await under.auditRefusal(db, 'client_id_reused', changes.length);
			return refused('client_id_reused', under.reused.inBatch);
		}
		byId.set(change.clientId, { change, hash: said });
	}
	const batch = [...byId.values()];
	const result = await withTransaction(db, async (trx): Promise<Result<T & { results: BatchOutcome[] }>> => {
		await under.lock(trx);
		const earlier = new Map((await under.listApplied(trx, [...byId.keys()])).map((r) => [r.client_id, r]));
		if (batch.some(({ change, hash }) => earlier.has(change.clientId) && earlier.get(change.clientId)!.change_hash !== hash)) {
			if (under.auditRefused === 'within') await under.auditRefusal(trx, 'client_id_reused', batch.length);
			return refused('client_id_reused', under.reused.earlier);
		}
		const fresh = batch.filter(({ change }) => !earlier.has(change.clientId)).map(({ change }) => change);
		const applied = await apply(trx, fresh);
		if (!applied.ok) return applied;
		const outcomeOf = (clientId: string) => (applied.conflicted.has(clientId) ? ('conflict' as const) : ('saved' as const));
		await under.keepApplied(
			trx,
			fresh.map((c) => ({ clientId: c.clientId, changeHash: byId.get(c.clientId)!.hash, outcome: outcomeOf(c.clientId) })),
			now
		);
		const results: BatchOutcome[] = batch.map(({ change }) => {
			const before = earlier.get(change.clientId);
			return before
				? { clientId: change.clientId, outcome: before.outcome, repeated: true }
				: { clientId: change.clientId, outcome: outcomeOf(change.clientId), repeated: false };
		});
		return ok({ ...applied, results });
	});
	if (under.auditRefused === 'after' && !result.ok && result.code === 'refused') await under.auditRefusal(db, result.reason, changes.length);
	return result;
}

/**
 * Applies a batch of changes from a register kept on a device once each (applyEachOnce), under
 * the session's lock, keeping the ids by session (attendance_client_change); `apply` audits its
 * own refusals.
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
	const under: ApplyOnceUnder = {
		lock: (trx) => lockSession(trx, sessionId),
		listApplied: listClientChanges,
		keepApplied: (trx, applied, at) =>
			insertClientChanges(
				trx,
				applied.map((a) => ({ ...a, sessionId, recordedBy: actor.id })),
				at
			),
		auditRefusal: (on, reason, count) => auditOfflineRefusal(on, actor, sessionId, reason, count, detail),
		reused: {
			inBatch: 'Two different changes were sent with the same id: reload the register and make your changes again',
			earlier: 'A change was sent with the id of a different change: reload the register and make your changes again'
		},
		auditRefused: 'within'
	};
	return applyEachOnce(db, under, changes, hash, apply, now);
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
