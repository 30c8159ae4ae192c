import { withTransaction, type Db } from '../db';
import type { Actor } from '../auth/session';
import type { YearGroup } from '../db/schema';
import { reportFiguresChanged } from '../reports/rollups';
import { ok, refused, type Result } from '../result';
import { findSessionSummary } from '../sessions/sessions.queries';
import { yearGroupLabels } from '../../year-groups';
import { getHeadcounts } from './attendance.service';
import { timingRefusal } from './taking-rules';
import { countProblems, listCountCells, writeCountChanges, type CountConflict, type CountRegister } from './count-conflicts';
import { countChangesFromJson, type CountChange } from './offline-counts.schema';
import { applyOnce, auditOfflineRefusal, hashOf, type BatchOutcome } from './offline-sync.service';
import { sessionStation } from './station-registers.service';
import * as stationQueries from './station-registers.queries';

// A headcount register (a parents' workshop, training for professionals) or a workstation's
// register kept on a tablet for a day without signal, the way named registers are
// (offline-sync.service.ts): download the counts first, count on the device, send each count
// with an id the device made and the version it was based on; applyOnce applies each id once.
// A count someone else changed since the device downloaded it is shown back, not overwritten.

/** One school and year group of a counts register as a device keeps it. */
export interface CountCell {
	schoolId: string;
	school: string;
	yearGroup: YearGroup;
	/** What the device shows beside the box, as the page does. */
	label: string;
	count: number | null;
	/** The count's version, null with no count: a count made on the device is based on it. */
	version: number | null;
	/** A workstation's register: the places the school holds for the year group, the most that can be counted. */
	places: number | null;
}

export type { CountConflict };

interface Row {
	school_id: string;
	school_name: string;
	year_group: YearGroup;
	count: number | null;
	version: number | null;
	recorded_at: Date | null;
	recorded_by_name: string | null;
	places?: number;
}

function manifestCell(row: Row): CountCell {
	return {
		schoolId: row.school_id,
		school: row.school_name,
		yearGroup: row.year_group,
		label: yearGroupLabels[row.year_group],
		count: row.count,
		version: row.version,
		places: row.places ?? null
	};
}

/** A headcount session's counts as a device keeps them. */
export async function getHeadcountManifest(db: Db, actor: Actor, sessionId: string, now = new Date()) {
	const { session, counts } = await getHeadcounts(db, actor, sessionId);
	return { sessionId: session.id, stationId: null, startsAt: session.starts_at, fetchedAt: now, cells: counts.map(manifestCell) };
}

/** A workstation's counts as a device keeps them, with the places each school holds. */
export async function getStationManifest(db: Db, actor: Actor, sessionId: string, stationId: string, now = new Date()) {
	const { session, station } = await sessionStation(db, actor, sessionId, stationId);
	const cells = await stationQueries.listStationCells(db, sessionId, stationId);
	return { sessionId: session.id, stationId: station.id, startsAt: session.starts_at, fetchedAt: now, cells: cells.map(manifestCell) };
}

/** Refusals not audited: the session is not open for attendance now, which any page says too. */
const timingReasons = new Set(['cancelled', 'not_started']);

/**
 * Checks a batch's new counts against the register under the session's lock (taken by
 * applyOnce), then saves those based on the count as it is and returns the others as
 * conflicts (count-conflicts.ts). Anything that cannot be right refuses the whole batch, with
 * the first thing wrong: a school or year group not on the register, a count that is not a
 * whole number from 0 to 10,000 (or, at a workstation, more than the places held), a version
 * the count never had, one cell twice.
 */
async function applyCounts(trx: Db, actor: Actor, sessionId: string, register: CountRegister, fresh: CountChange[], now: Date) {
	if (fresh.length === 0) return ok({ sent: 0, conflicts: [] as CountConflict[], conflicted: new Set<string>() });
	const session = await findSessionSummary(trx, sessionId);
	const refusal = timingRefusal(session!, now);
	if (refusal) return refusal;
	const cells = await listCountCells(trx, sessionId, register);
	const [problem] = countProblems(cells, fresh, register);
	if (problem) return refused(problem.reason, problem.message);
	const { written, conflicts, conflicted } = await writeCountChanges(trx, actor, sessionId, register, cells, fresh, now);
	return ok({ sent: written, conflicts, conflicted: new Set(conflicted.map((c) => c.clientId)) });
}

async function syncCounts(
	db: Db,
	actor: Actor,
	sessionId: string,
	register: CountRegister,
	body: unknown,
	now: Date
): Promise<Result<{ results: BatchOutcome[]; sent: number; conflicts: CountConflict[] }>> {
	const detail = register.kind === 'station' ? { stationId: register.stationId } : {};
	const parsed = countChangesFromJson(body);
	if ('problem' in parsed) {
		await auditOfflineRefusal(db, actor, sessionId, 'invalid_batch', 0, detail);
		return refused('invalid_batch', parsed.problem);
	}
	const result = await withTransaction(db, async (trx) => {
		const applied = await applyOnce(
			trx,
			actor,
			sessionId,
			parsed.changes,
			(c) => hashOf(actor, sessionId, register, c.schoolId, c.yearGroup, c.count, c.basedOn),
			(inner, fresh) => applyCounts(inner, actor, sessionId, register, fresh, now),
			now,
			detail
		);
		// applyOnce audits the ids it refuses; a refusal of the counts themselves is audited here, in the same transaction.
		if (!applied.ok && applied.code === 'refused' && applied.reason !== 'client_id_reused' && !timingReasons.has(applied.reason)) {
			await auditOfflineRefusal(trx, actor, sessionId, applied.reason, parsed.changes.length, detail);
		}
		return applied;
	});
	if (result.ok && result.sent > 0) reportFiguresChanged({ sessions: [sessionId] });
	return result;
}

/**
 * Applies the counts a headcount register kept on a device sends, each client id once. A
 * session the actor may not count, or one that is not a headcount session, is a 404, audited.
 */
export async function syncHeadcounts(db: Db, actor: Actor, sessionId: string, body: unknown, now = new Date()) {
	await getHeadcounts(db, actor, sessionId);
	return syncCounts(db, actor, sessionId, { kind: 'headcount' }, body, now);
}

/** Applies the counts a workstation's register kept on a device sends, each client id once; any other station or session is a 404, audited. */
export async function syncStationCounts(db: Db, actor: Actor, sessionId: string, stationId: string, body: unknown, now = new Date()) {
	await sessionStation(db, actor, sessionId, stationId);
	return syncCounts(db, actor, sessionId, { kind: 'station', stationId }, body, now);
}
