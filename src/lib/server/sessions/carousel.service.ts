import { withTransaction, type Db } from '../db';
import { insertAuditEvent } from '../audit/audit.queries';
import type { Actor } from '../auth/session';
import { hasErrors, invalid, ok, refused, type FieldErrors, type Result } from '../result';
import { listBookingsForSession } from '../bookings/bookings.queries';
import { hasStationHeadcounts } from '../attendance/station-registers.queries';
import { yearGroupLabels } from '../../year-groups';
import { buildRotationGrid, type RotationGrid, type RotationGroup } from './rotation';
import { getManagedSession, getSession } from './sessions.service';
import { validateStations, type StationRow } from './sessions.schema';
import * as queries from './sessions.queries';

/** Sets a carousel session's workstations and rotation length. */
export async function saveStations(
	db: Db,
	actor: Actor,
	programmeId: string,
	sessionId: string,
	rows: StationRow[],
	rotationMinutesText: string
): Promise<Result> {
	const session = await getManagedSession(db, actor, programmeId, sessionId);
	const { errors: rowErrors, stations, rotationMinutes } = validateStations(rows, rotationMinutesText);
	const errors: FieldErrors = session.shape === 'carousel' ? rowErrors : { stations: 'Only a carousel session has workstations', ...rowErrors };
	if (hasErrors(errors)) return invalid(errors);
	return withTransaction(db, async (trx) => {
		// Replacing the workstations gives them new ids: once a station register is saved
		// (which locks the session too), the counts would lose their station, so refuse.
		await queries.lockSession(trx, sessionId);
		if (await hasStationHeadcounts(trx, sessionId)) {
			return refused(
				'stations_registered',
				'Workstation registers have been recorded for this session, so its workstations can no longer be changed',
				'stations'
			);
		}
		await queries.replaceStations(trx, sessionId, stations);
		await queries.updateSession(trx, sessionId, { rotation_minutes: rotationMinutes });
		await insertAuditEvent(trx, {
			actorId: actor.id,
			action: 'session.stations_saved',
			entityType: 'session',
			entityId: sessionId,
			detail: { stations: stations.length },
			address: actor.address
		});
		return ok();
	});
}

export async function listSessionStations(db: Db, actor: Actor, programmeId: string, sessionId: string) {
	await getManagedSession(db, actor, programmeId, sessionId);
	return queries.listStations(db, sessionId);
}

/**
 * The carousel timetable of a session: every booked group's visits to every workstation, and
 * the groups at each workstation for its register. Its leads and admins see every school's
 * groups; a school contact sees only their own school's (other schools' names and class sizes
 * are theirs to share), worked out in the same grid so the times are the real ones.
 */
export async function getTimetable(db: Db, actor: Actor, sessionId: string) {
	const session = await getSession(db, actor, sessionId);
	const timetable = await fullTimetable(db, session);
	if (actor.role !== 'school') return timetable;
	const own = new Set((await listBookingsForSession(db, sessionId)).filter((b) => b.school_id === actor.schoolId).map((b) => b.id));
	return { ...timetable, grid: onlyGroupsOf(timetable.grid, own) };
}

/** The grid as one school sees it: their groups only, each station's numbers from those alone, and no problems to act on. */
function onlyGroupsOf(grid: RotationGrid, bookingIds: ReadonlySet<string>): RotationGrid {
	const mine = (group: RotationGroup) => bookingIds.has(group.bookingId);
	return {
		groups: grid.groups.filter(mine),
		rotations: grid.rotations.map((rotation) => ({
			...rotation,
			visits: rotation.visits.map((visit) => {
				const groups = visit.groups.filter(mine);
				return { ...visit, groups, occupied: groups.reduce((sum, g) => sum + g.size, 0) };
			})
		})),
		problems: []
	};
}

async function fullTimetable(db: Db, session: Awaited<ReturnType<typeof getSession>>) {
	const sessionId = session.id;
	const stations = await queries.listStations(db, sessionId);
	const bookings = (await listBookingsForSession(db, sessionId)).filter((b) => b.confirmed_places > 0 && b.status !== 'cancelled');
	const grid = buildRotationGrid({
		stations: stations.map((s) => ({ id: s.id, name: s.name, theme: s.theme, places: s.places })),
		bookings: bookings.map((b) => ({
			bookingId: b.id,
			schoolName: b.school_name,
			yearGroup: yearGroupLabels[b.year_group],
			places: b.confirmed_places
		})),
		startsAt: session.starts_at,
		rotationMinutes: session.rotation_minutes ?? 20,
		endsAt: session.ends_at
	});
	return { session, stations, grid };
}
