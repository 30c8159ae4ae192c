import { withTransaction, type Db } from '../db';
import { insertAuditEvents } from '../audit/audit.queries';
import { refuse } from '../auth/policy';
import type { Actor } from '../auth/session';
import type { YearGroup } from '../db/schema';
import { reportFiguresChanged } from '../reports/rollups';
import { hasErrors, invalid, ok, refused, type FieldErrors, type Result } from '../result';
import { getTimetable } from '../sessions/carousel.service';
import { listStations, lockSession } from '../sessions/sessions.queries';
import { yearGroupLabels } from '../../year-groups';
import { countField } from './attendance.schema';
import { getAttendanceSession, MAX_HEADCOUNT, timingRefusal } from './attendance.service';
import * as queries from './station-registers.queries';

// A carousel session's register per workstation is a headcount: at each station a lead
// records how many of each school's group (school and year group) came through. That holds
// for named carousel sessions too, where the named register stays one per session, taken on
// the session's register page: attendance_mark keeps one mark per young person per session,
// so it could say at which station someone was marked but never every station they passed,
// and the rotation splits a booking into groups without recording which pupils are in which,
// so a station cannot know whose names to expect. attendance_mark.station_id is left unset.

const target = (entityId?: string) => ({ entityType: 'session', entityId });

/** A carousel session whose attendance the actor may take; any other session is a 404. */
async function carouselSession(db: Db, actor: Actor, sessionId: string) {
	const session = await getAttendanceSession(db, actor, sessionId);
	return session.shape === 'carousel' ? session : refuse(db, actor, target(sessionId));
}

/** A workstation of a carousel session whose attendance the actor may take; anything else is a 404. */
export async function sessionStation(db: Db, actor: Actor, sessionId: string, stationId: string) {
	const session = await carouselSession(db, actor, sessionId);
	const station = (await listStations(db, sessionId)).find((s) => s.id === stationId);
	return station ? { session, station } : refuse(db, actor, { entityType: 'station', entityId: stationId });
}

/**
 * One workstation's register: the groups due there, rotation by rotation (as the printed
 * timetable has them), and a count per school and year group holding places.
 */
export async function getStationRegister(db: Db, actor: Actor, sessionId: string, stationId: string) {
	const { session, station } = await sessionStation(db, actor, sessionId, stationId);
	const { grid } = await getTimetable(db, actor, sessionId);
	const visits = grid.rotations
		.map((rotation) => ({
			startsAt: rotation.startsAt,
			endsAt: rotation.endsAt,
			groups: rotation.visits.find((v) => v.stationId === stationId)?.groups.map((g) => ({ key: g.key, label: g.label, size: g.size })) ?? []
		}))
		.filter((visit) => visit.groups.length > 0);
	return { session, station, visits, cells: await queries.listStationCells(db, sessionId, stationId) };
}

/** What the register page of a carousel session shows: each station's total and the session's headcount. */
export async function getStationSummary(db: Db, actor: Actor, sessionId: string) {
	const session = await carouselSession(db, actor, sessionId);
	return {
		stations: await queries.listStationTotals(db, sessionId),
		headcount: await queries.findSessionHeadcount(db, sessionId, session.register_kind === 'named')
	};
}

/**
 * Saves one workstation's register at once: each count sent replaces the one saved, a count
 * sent empty clears it, and a school or year group not sent is left as it was. A count is
 * refused, and nothing saved, when it is not a whole number or is more than the places that
 * school holds for that year group (a message beside each such count). Changes are audited
 * with ids and counts only.
 */
export async function saveStationHeadcounts(
	db: Db,
	actor: Actor,
	sessionId: string,
	stationId: string,
	counts: { schoolId: string; yearGroup: string; count: number | null }[],
	now = new Date()
): Promise<Result<{ saved: number; changed: number }>> {
	await sessionStation(db, actor, sessionId, stationId);
	const fields = counts.map((c) => countField(c.schoolId, c.yearGroup));
	if (new Set(fields).size !== fields.length) {
		return refused('duplicate', 'A school and year group was counted twice: save the counts again');
	}
	const result = await withTransaction(db, async (trx) => {
		// Lock, then check, then write, as the session's own register does.
		const locked = await lockSession(trx, sessionId);
		const refusal = timingRefusal(locked!, now);
		if (refusal) return refusal;
		const cells = new Map((await queries.listStationCells(trx, sessionId, stationId)).map((c) => [countField(c.school_id, c.year_group), c]));
		if (fields.some((f) => !cells.has(f))) {
			return refused('not_on_register', 'A school or year group counted has no places at this session: reload the page and save again');
		}
		const errors: FieldErrors = {};
		for (const c of counts) {
			const field = countField(c.schoolId, c.yearGroup);
			const cell = cells.get(field)!;
			const who = `${yearGroupLabels[cell.year_group]} from ${cell.school_name}`;
			if (c.count === null) continue;
			if (!Number.isInteger(c.count) || c.count < 0 || c.count > MAX_HEADCOUNT) {
				errors[field] = `Enter how many of ${who} came as a whole number, like 12`;
			} else if (c.count > cell.places) {
				errors[field] =
					`${cell.school_name} has ${cell.places} confirmed ${cell.places === 1 ? 'place' : 'places'} for ${yearGroupLabels[cell.year_group]}: enter ${cell.places} or fewer`;
			}
		}
		if (hasErrors(errors)) return invalid(errors);

		const filled = counts.filter((c): c is { schoolId: string; yearGroup: YearGroup; count: number } => c.count !== null);
		const cleared = counts.filter((c) => c.count === null && cells.get(countField(c.schoolId, c.yearGroup))!.count !== null) as {
			schoolId: string;
			yearGroup: YearGroup;
		}[];
		const changed = counts.filter((c) => cells.get(countField(c.schoolId, c.yearGroup))!.count !== c.count);
		await queries.upsertStationHeadcounts(trx, sessionId, stationId, filled, actor.id, now);
		await queries.deleteStationHeadcounts(trx, sessionId, stationId, cleared);
		await insertAuditEvents(
			trx,
			changed.map((c) => {
				const from = cells.get(countField(c.schoolId, c.yearGroup))!.count;
				return {
					actorId: actor.id,
					action: from === null ? 'attendance.station_counted' : c.count === null ? 'attendance.station_count_cleared' : 'attendance.station_count_changed',
					...target(sessionId),
					detail: { stationId, schoolId: c.schoolId, yearGroup: c.yearGroup, from, to: c.count },
					address: actor.address
				};
			})
		);
		return ok({ saved: filled.length, changed: changed.length });
	});
	if (result.ok) reportFiguresChanged({ sessions: [sessionId] });
	return result;
}
