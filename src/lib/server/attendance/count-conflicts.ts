import { withTransaction, type Db } from '../db';
import { insertAuditEvent, insertAuditEvents, type AuditEntry } from '../audit/audit.queries';
import type { Actor } from '../auth/session';
import { yearGroups, type YearGroup } from '../db/schema';
import { oneOf } from '../forms';
import { reportFiguresChanged } from '../reports/rollups';
import { invalid, ok, refused, type FieldErrors, type Result } from '../result';
import { lockSession } from '../sessions/sessions.queries';
import { yearGroupLabels } from '../../year-groups';
import { countField } from './attendance.schema';
import { MAX_HEADCOUNT, timingRefusal } from './taking-rules';
import * as queries from './attendance.queries';
import * as stationQueries from './station-registers.queries';

// Rule 2 of issue 12 for counts: a headcount or a workstation's count is saved only against the
// version it was based on. The session's register form, a workstation's form and a device
// coming back online (offline-counts.service.ts) all send the counts that changed, each with
// the version of the count it was based on (null when there was none); under the session's
// lock each is checked against the count as it is now. A count someone else changed since is
// not overwritten but handed back as a conflict, to keep theirs or use yours; "use yours" is a
// change based on their version. The session's row is the lock (FOR UPDATE), not the counts'
// rows: a count not yet made has no row to lock.

export type CountRegister = { kind: 'headcount' } | { kind: 'station'; stationId: string };

export interface CountChange {
	schoolId: string;
	yearGroup: string;
	/** The new count; null empties a workstation's box (clears it). NaN for what was typed and is no count. */
	count: number | null;
	/** The version of the count the change was based on; null if there was none. NaN for one that is no version. */
	basedOn: number | null;
}

/** A count not saved because someone else changed it since it was read: theirs, and what was to replace it. */
export interface CountConflict {
	schoolId: string;
	yearGroup: YearGroup;
	school: string;
	label: string;
	/** Null: a workstation's count someone cleared (its row, version and who went with it). */
	theirs: number | null;
	/** Who saved theirs, and when. */
	by: string | null;
	at: Date | null;
	/** The version of theirs: "use yours" is a change based on it. */
	version: number | null;
	/** Null: the box was emptied, to clear the count. */
	yours: number | null;
}

export interface CountCell {
	school_id: string;
	school_name: string;
	year_group: YearGroup;
	count: number | null;
	version: number | null;
	recorded_at: Date | null;
	recorded_by_name: string | null;
	/** A workstation's register: the places the school holds for the year group, the most that can be counted. */
	places?: number;
}

/** Why a change cannot be right, beside the field it belongs to. */
export interface CountProblem {
	field: string;
	reason: string;
	message: string;
}

const FORM = 'counts';

/** A register's counts, keyed by their form field. */
export async function listCountCells(db: Db, sessionId: string, register: CountRegister): Promise<Map<string, CountCell>> {
	const cells: CountCell[] =
		register.kind === 'headcount' ? await queries.listHeadcounts(db, sessionId) : await stationQueries.listStationCells(db, sessionId, register.stationId);
	return new Map(cells.map((c) => [countField(c.school_id, c.year_group), c]));
}

/**
 * What is wrong with a set of changes, read against the register's counts: a school or year
 * group not on it, one counted twice, a version that is no version or one the count never had
 * (structural: the page was not sent as it was shown), and counts that are not whole numbers
 * from 0 to 10,000 or, at a workstation, more than the places held (each beside its box).
 */
export function countProblems(cells: Map<string, CountCell>, changes: CountChange[], register: CountRegister): CountProblem[] {
	const problems: CountProblem[] = [];
	const seen = new Set<string>();
	for (const c of changes) {
		const field = countField(c.schoolId, c.yearGroup);
		const cell = cells.get(field);
		if (!cell || !oneOf(yearGroups, c.yearGroup)) {
			problems.push({
				field: FORM,
				reason: 'not_on_register',
				message: 'A school or year group counted has no places at this session: reload the register and count again'
			});
			continue;
		}
		if (seen.has(field)) {
			problems.push({ field, reason: 'duplicate', message: 'A school and year group was counted twice: reload the register and count again' });
		}
		seen.add(field);
		const who = `${yearGroupLabels[cell.year_group]} from ${cell.school_name}`;
		if (c.basedOn !== null && !(Number.isInteger(c.basedOn) && c.basedOn >= 1)) {
			problems.push({ field, reason: 'bad_version', message: `The count for ${who} was sent incomplete: reload the register and count again` });
		} else if (c.basedOn !== null && c.basedOn > (cell.version ?? 0) && !cleared(register, cell)) {
			problems.push({
				field,
				reason: 'future_version',
				message: `The count for ${who} was sent as changed from a version it never had: reload the register and count again`
			});
		}
		if (c.count === null) {
			if (register.kind === 'headcount') problems.push({ field, reason: 'invalid_count', message: `Enter how many of ${who} came as a whole number, like 12` });
		} else if (!Number.isInteger(c.count) || c.count < 0) {
			problems.push({ field, reason: 'invalid_count', message: `Enter how many of ${who} came as a whole number, like 12` });
		} else if (c.count > MAX_HEADCOUNT) {
			problems.push({ field, reason: 'invalid_count', message: `Enter how many of ${who} came as ${MAX_HEADCOUNT.toLocaleString('en-GB')} or fewer` });
		} else if (cell.places !== undefined && c.count > cell.places) {
			problems.push({
				field,
				reason: 'over_places',
				message: `${cell.school_name} has ${cell.places} confirmed ${cell.places === 1 ? 'place' : 'places'} for ${yearGroupLabels[cell.year_group]}: enter ${cell.places} or fewer`
			});
		}
	}
	return problems;
}

/**
 * A workstation's count that is not there may have been cleared: clearing deletes its row, and
 * the version with it, so a change based on an earlier version is a conflict, not refused.
 */
const cleared = (register: CountRegister, cell: CountCell) => register.kind === 'station' && cell.version === null;

const structural = new Set(['not_on_register', 'duplicate', 'bad_version', 'future_version']);

/**
 * Saves the changes based on the count as it is and returns the others as conflicts; a change
 * to the count already saved is neither. The caller holds the session's lock and has found no
 * `countProblems`. Changes are audited with ids and counts only.
 */
export async function writeCountChanges<C extends CountChange>(
	trx: Db,
	actor: Actor,
	sessionId: string,
	register: CountRegister,
	cells: Map<string, CountCell>,
	changes: C[],
	now: Date
): Promise<{ written: number; conflicts: CountConflict[]; conflicted: C[] }> {
	const filled: { schoolId: string; yearGroup: YearGroup; count: number }[] = [];
	const cleared: { schoolId: string; yearGroup: YearGroup }[] = [];
	const audits: AuditEntry[] = [];
	const conflicts: CountConflict[] = [];
	const conflicted: C[] = [];
	for (const c of changes) {
		const cell = cells.get(countField(c.schoolId, c.yearGroup))!;
		if (cell.count === c.count) continue;
		if (cell.version !== c.basedOn) {
			conflicted.push(c);
			conflicts.push({
				schoolId: cell.school_id,
				yearGroup: cell.year_group,
				school: cell.school_name,
				label: yearGroupLabels[cell.year_group],
				theirs: cell.count,
				by: cell.recorded_by_name,
				at: cell.recorded_at,
				version: cell.version,
				yours: c.count
			});
			continue;
		}
		const at = { schoolId: cell.school_id, yearGroup: cell.year_group };
		if (c.count === null) cleared.push(at);
		else filled.push({ ...at, count: c.count });
		const detail = { ...at, from: cell.count, to: c.count };
		audits.push({
			actorId: actor.id,
			action: actionOf(register, cell.count, c.count),
			entityType: 'session',
			entityId: sessionId,
			detail: register.kind === 'headcount' ? detail : { stationId: register.stationId, ...detail },
			address: actor.address
		});
	}
	if (register.kind === 'headcount') {
		await queries.upsertHeadcounts(trx, sessionId, filled, actor.id, now);
	} else {
		await stationQueries.upsertStationHeadcounts(trx, sessionId, register.stationId, filled, actor.id, now);
		await stationQueries.deleteStationHeadcounts(trx, sessionId, register.stationId, cleared);
	}
	await insertAuditEvents(trx, audits);
	return { written: audits.length, conflicts, conflicted };
}

function actionOf(register: CountRegister, from: number | null, to: number | null): string {
	if (register.kind === 'headcount') return from === null ? 'attendance.counted' : 'attendance.count_changed';
	if (from === null) return 'attendance.station_counted';
	return to === null ? 'attendance.station_count_cleared' : 'attendance.station_count_changed';
}

/**
 * Saves a register form's changed counts in one transaction, under the session's lock. Input
 * that cannot be right refuses the whole save, audited (by reason and number of counts only):
 * the session's timing aside, which any page says too. Counts that are not whole numbers or
 * are over the limit come back beside each box; the rest beside the box or the form.
 */
export async function saveCountChanges(
	db: Db,
	actor: Actor,
	sessionId: string,
	register: CountRegister,
	changes: CountChange[],
	now: Date
): Promise<Result<{ saved: number; changed: number; conflicts: CountConflict[] }>> {
	const result = await withTransaction(db, async (trx) => {
		// Lock, then check, then write: two people saving at once queue, and the second is checked against the first's counts.
		const locked = await lockSession(trx, sessionId);
		const refusal = timingRefusal(locked!, now);
		if (refusal) return refusal;
		const cells = await listCountCells(trx, sessionId, register);
		const problems = countProblems(cells, changes, register);
		if (problems.length > 0) {
			await insertAuditEvent(trx, {
				actorId: actor.id,
				action: 'attendance.save_refused',
				entityType: 'session',
				entityId: sessionId,
				detail: { reason: problems[0]!.reason, changes: changes.length, ...(register.kind === 'station' ? { stationId: register.stationId } : {}) },
				address: actor.address
			});
			const first = problems.find((p) => structural.has(p.reason));
			if (first) return refused(first.reason, first.message, first.field);
			const errors: FieldErrors = {};
			for (const p of problems) errors[p.field] ??= p.message;
			return invalid(errors);
		}
		const { written, conflicts } = await writeCountChanges(trx, actor, sessionId, register, cells, changes, now);
		return ok({ saved: changes.length - conflicts.length, changed: written, conflicts });
	});
	if (result.ok && result.changed > 0) reportFiguresChanged({ sessions: [sessionId] });
	return result;
}
