import type { Transaction } from 'kysely';
import type { Db } from '../db';
import { insertAuditEvent } from '../audit/audit.queries';
import type { Actor } from '../auth/session';
import type { DB } from '../db/schema';
import type { Result } from '../result';
import { applyEachOnce, type BatchOutcome } from '../attendance/offline-sync.service';
import { MAX_SYNC_BATCH } from '../attendance/offline-sync.schema';
import { UUID } from '../forms';
import { insertDayLogChanges, listDayLogChanges } from './day-logs.queries';

// Mentoring meetings and award days logged on a tablet for a day without signal, sent when the
// connection returns: the registers' pattern (attendance/offline-sync.service.ts applyEachOnce),
// for records that belong to a cohort or an award group rather than a session. Each change
// carries an id the device made; the first time it is applied the id is kept with a hash of
// what it said (day_log_client_change), so a re-send is answered with the first outcome, and an
// id sent again with a different change refuses the whole batch.

/** What a batch is about: the cohort or group it was sent to, and the programme its ids are kept under. */
export interface DayLogScope {
	programmeId: string;
	kind: 'meeting' | 'award_day';
	entityType: 'mentoring_cohort' | 'award_group';
	entityId: string;
}

/** A batch refused: audited by the cohort's or group's id, with the reason and how many changes it held, never what they said. */
export async function auditDayLogRefusal(db: Db, actor: Actor, scope: DayLogScope, reason: string, changes: number) {
	await insertAuditEvent(db, {
		actorId: actor.id,
		action: scope.kind === 'meeting' ? 'mentoring.offline_refused' : 'award.offline_refused',
		entityType: scope.entityType,
		entityId: scope.entityId,
		detail: { reason, changes, offline: true, programmeId: scope.programmeId },
		address: actor.address
	});
}

/** The batch's list of changes, each with a client id the device made, or why it cannot be read. */
export function batchFromJson(body: unknown, what: string): { items: Record<string, unknown>[] } | { problem: string } {
	const list = (body as { changes?: unknown } | null)?.changes;
	if (!Array.isArray(list) || list.length === 0) return { problem: `No ${what} were sent` };
	if (list.length > MAX_SYNC_BATCH) return { problem: `Send at most ${MAX_SYNC_BATCH} ${what} at once` };
	const items = list as unknown[];
	if (
		!items.every(
			(c) =>
				typeof c === 'object' && c !== null && typeof (c as { clientId?: unknown }).clientId === 'string' && UUID.test((c as { clientId: string }).clientId)
		)
	) {
		return { problem: `Some of the ${what} were sent incomplete: reload the page and log them again` };
	}
	return { items: items as Record<string, unknown>[] };
}

/**
 * Applies a batch once per client id (applyEachOnce), under `lock` (the cohort's or group's
 * row), keeping the ids by programme (day_log_client_change): a change whose id was applied
 * before is answered with its first outcome and not applied again; `apply` checks and saves the
 * others and names those it did not save because someone else changed the record first
 * (conflicts), in the same transaction that keeps their ids. `apply` checks every change before
 * it writes any, so a refusal leaves nothing half-saved. Every refusal is audited, after the
 * batch's transaction: nothing of it was written.
 */
export async function applyDayLogOnce<C extends { clientId: string }, T extends object>(
	db: Db,
	actor: Actor,
	scope: DayLogScope,
	changes: readonly C[],
	hash: (change: C) => string,
	lock: (trx: Transaction<DB>) => Promise<unknown>,
	apply: (trx: Transaction<DB>, fresh: C[]) => Promise<Result<T & { conflicted: ReadonlySet<string> }>>,
	now: Date
): Promise<Result<T & { results: BatchOutcome[] }>> {
	const reused = 'A change was sent with the id of a different change: reload the page and log it again';
	return applyEachOnce(
		db,
		{
			lock,
			listApplied: listDayLogChanges,
			keepApplied: (trx, applied, at) =>
				insertDayLogChanges(
					trx,
					applied.map((a) => ({ ...a, programmeId: scope.programmeId, kind: scope.kind, recordedBy: actor.id })),
					at
				),
			auditRefusal: (on, reason, count) => auditDayLogRefusal(on, actor, scope, reason, count),
			reused: { inBatch: reused, earlier: reused },
			auditRefused: 'after'
		},
		changes,
		hash,
		apply,
		now
	);
}
