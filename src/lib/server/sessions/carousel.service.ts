import { withTransaction, type Db } from '../db';
import { insertAuditEvent } from '../audit/audit.queries';
import type { Actor } from '../auth/session';
import { hasErrors, invalid, ok, refused, type FieldErrors, type Result } from '../result';
import { listBookingsForSession } from '../bookings/bookings.queries';
import { hasStationHeadcounts } from '../attendance/station-registers.queries';
import { yearGroupLabels } from '../../year-groups';
import { buildRotationGrid } from './rotation';
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
 * the groups at each workstation for its register. Whoever may see the session sees its grid
 * (schools' names and group sizes: no young person's name is in it).
 */
export async function getTimetable(db: Db, actor: Actor, sessionId: string) {
	const session = await getSession(db, actor, sessionId);
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
