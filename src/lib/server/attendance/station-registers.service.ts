import type { Db } from '../db';
import { refuse } from '../auth/policy';
import type { Actor } from '../auth/session';
import type { Result } from '../result';
import { getTimetable } from '../sessions/carousel.service';
import { listStations } from '../sessions/sessions.queries';
import { getAttendanceSession } from './attendance.service';
import * as queries from './station-registers.queries';
import { saveCountChanges, type CountChange, type CountConflict } from './count-conflicts';

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
 * Saves a workstation's changed counts, each against the version it was based on
 * (count-conflicts.ts): a count sent empty clears it, a count someone else changed since comes
 * back as a conflict, not overwritten. A count that is not a whole number or is more than the
 * places that school holds for that year group is refused beside its box, and nothing saved.
 */
export async function saveStationHeadcounts(
	db: Db,
	actor: Actor,
	sessionId: string,
	stationId: string,
	changes: CountChange[],
	now = new Date()
): Promise<Result<{ saved: number; changed: number; conflicts: CountConflict[] }>> {
	await sessionStation(db, actor, sessionId, stationId);
	return saveCountChanges(db, actor, sessionId, { kind: 'station', stationId }, changes, now);
}
