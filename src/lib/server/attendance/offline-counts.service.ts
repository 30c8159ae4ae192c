import { withTransaction, type Db } from '../db';
import { insertAuditEvents, type AuditEntry } from '../audit/audit.queries';
import type { Actor } from '../auth/session';
import { yearGroups, type YearGroup } from '../db/schema';
import { oneOf } from '../forms';
import { reportFiguresChanged } from '../reports/rollups';
import { ok, refused, type Result } from '../result';
import { findSessionSummary } from '../sessions/sessions.queries';
import { yearGroupLabels } from '../../year-groups';
import { getHeadcounts, MAX_HEADCOUNT, timingRefusal } from './attendance.service';
import * as queries from './attendance.queries';
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

/** A count not saved because someone else changed it since the device downloaded it: theirs, and what was to replace it. */
export interface CountConflict {
	schoolId: string;
	yearGroup: YearGroup;
	school: string;
	label: string;
	theirs: number;
	by: string | null;
	at: Date;
	/** The version of theirs: "use yours" is a change based on it. */
	version: number;
	yours: number;
}

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

const cellKey = (schoolId: string, yearGroup: string) => `${schoolId}/${yearGroup}`;

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

type Register = { kind: 'headcount' } | { kind: 'station'; stationId: string };

async function listCells(db: Db, sessionId: string, register: Register): Promise<Row[]> {
	return register.kind === 'headcount' ? queries.listHeadcounts(db, sessionId) : stationQueries.listStationCells(db, sessionId, register.stationId);
}

/** Refusals not audited: the session is not open for attendance now, which any page says too. */
const timingReasons = new Set(['cancelled', 'not_started']);

/**
 * Checks a batch's new counts against the register under the session's lock (taken by
 * applyOnce), then saves those based on the count as it is and returns the others as
 * conflicts. Anything that cannot be right refuses the whole batch: a school or year group
 * not on the register, a count that is not a whole number from 0 to 10,000 (or, at a
 * workstation, more than the places held), a version the count never had, one cell twice.
 */
async function applyCounts(trx: Db, actor: Actor, sessionId: string, register: Register, fresh: CountChange[], now: Date) {
	const none = { sent: 0, conflicts: [] as CountConflict[], conflicted: new Set<string>() };
	if (fresh.length === 0) return ok(none);
	const session = await findSessionSummary(trx, sessionId);
	const refusal = timingRefusal(session!, now);
	if (refusal) return refusal;
	if (new Set(fresh.map((c) => cellKey(c.schoolId, c.yearGroup))).size !== fresh.length) {
		return refused('duplicate', 'A school and year group was counted twice: reload the register and count again');
	}
	const cells = new Map((await listCells(trx, sessionId, register)).map((c) => [cellKey(c.school_id, c.year_group), c]));
	if (fresh.some((c) => !oneOf(yearGroups, c.yearGroup) || !cells.has(cellKey(c.schoolId, c.yearGroup)))) {
		return refused('not_on_register', 'A school or year group counted has no places at this session: reload the register and count again');
	}
	for (const c of fresh) {
		const cell = cells.get(cellKey(c.schoolId, c.yearGroup))!;
		const who = `${yearGroupLabels[cell.year_group]} from ${cell.school_name}`;
		if (!Number.isInteger(c.count) || c.count < 0 || c.count > MAX_HEADCOUNT) {
			return refused('invalid_count', `The count for ${who} must be a whole number from 0 to ${MAX_HEADCOUNT.toLocaleString('en-GB')}`);
		}
		if (cell.places !== undefined && c.count > cell.places) {
			return refused(
				'over_places',
				`${cell.school_name} has ${cell.places} confirmed ${cell.places === 1 ? 'place' : 'places'} for ${yearGroupLabels[cell.year_group]}: count ${cell.places} or fewer`
			);
		}
		if (c.basedOn !== null && !(Number.isInteger(c.basedOn) && c.basedOn >= 1 && c.basedOn <= (cell.version ?? 0))) {
			return refused('future_version', 'A count was sent as changed from a version it never had: reload the register and count again');
		}
	}
	const writes: { schoolId: string; yearGroup: YearGroup; count: number }[] = [];
	const audits: AuditEntry[] = [];
	const conflicts: CountConflict[] = [];
	const conflicted = new Set<string>();
	for (const c of fresh) {
		const cell = cells.get(cellKey(c.schoolId, c.yearGroup))!;
		if (cell.count === c.count) continue;
		if (cell.version !== c.basedOn) {
			conflicted.add(c.clientId);
			conflicts.push({
				schoolId: cell.school_id,
				yearGroup: cell.year_group,
				school: cell.school_name,
				label: yearGroupLabels[cell.year_group],
				theirs: cell.count!,
				by: cell.recorded_by_name,
				at: cell.recorded_at!,
				version: cell.version!,
				yours: c.count
			});
			continue;
		}
		writes.push({ schoolId: cell.school_id, yearGroup: cell.year_group, count: c.count });
		const detail = { schoolId: cell.school_id, yearGroup: cell.year_group, from: cell.count, to: c.count };
		audits.push({
			actorId: actor.id,
			action:
				register.kind === 'headcount'
					? cell.count === null
						? 'attendance.counted'
						: 'attendance.count_changed'
					: cell.count === null
						? 'attendance.station_counted'
						: 'attendance.station_count_changed',
			entityType: 'session',
			entityId: sessionId,
			detail: register.kind === 'headcount' ? detail : { stationId: register.stationId, ...detail },
			address: actor.address
		});
	}
	if (register.kind === 'headcount') await queries.upsertHeadcounts(trx, sessionId, writes, actor.id, now);
	else await stationQueries.upsertStationHeadcounts(trx, sessionId, register.stationId, writes, actor.id, now);
	await insertAuditEvents(trx, audits);
	return ok({ sent: writes.length, conflicts, conflicted });
}

async function syncCounts(
	db: Db,
	actor: Actor,
	sessionId: string,
	register: Register,
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
	if (result.ok && result.sent > 0) reportFiguresChanged();
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
