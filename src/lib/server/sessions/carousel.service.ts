import { withTransaction, type Db } from '../db';
import { insertAuditEvent } from '../audit/audit.queries';
import type { Actor } from '../auth/session';
import type { FieldErrors } from '../result';
import { listBookingsForSession } from '../bookings/bookings.queries';
import { hasStationHeadcounts } from '../attendance/station-registers.queries';
import { yearGroupLabels } from '../../year-groups';
import { buildRotationGrid } from './rotation';
import { getManagedSession, getSession } from './sessions.service';
import * as queries from './sessions.queries';

export const MAX_STATIONS = 12;

export interface StationRow {
	name: string;
	theme: string;
	places: string;
}

/** Reads the station rows of the form; fully blank rows are ignored. */
export function stationRowsFromForm(form: FormData): StationRow[] {
	const rows: StationRow[] = [];
	for (let i = 0; i < MAX_STATIONS; i++) {
		const get = (key: string) => String(form.get(`stations.${i}.${key}`) ?? '').trim();
		rows.push({ name: get('name'), theme: get('theme'), places: get('places') });
	}
	return rows;
}

/** Sets a carousel session's workstations and rotation length. */
export async function saveStations(
	db: Db,
	actor: Actor,
	programmeId: string,
	sessionId: string,
	rows: StationRow[],
	rotationMinutesText: string
): Promise<{ ok: true } | { ok: false; errors: FieldErrors }> {
	const session = await getManagedSession(db, actor, programmeId, sessionId);
	const errors: FieldErrors = {};
	if (session.shape !== 'carousel') errors.stations = 'Only a carousel session has workstations';
	const used = rows.map((row, i) => ({ ...row, i })).filter((r) => r.name || r.theme || r.places);
	if (used.length === 0) errors['stations.0.name'] = 'Enter at least one workstation';
	for (const row of used) {
		if (!row.name) errors[`stations.${row.i}.name`] = `Enter the name of workstation ${row.i + 1}`;
		if (!row.theme) errors[`stations.${row.i}.theme`] = `Enter the theme of workstation ${row.i + 1}`;
		if (!/^\d{1,4}$/.test(row.places) || Number(row.places) < 1) errors[`stations.${row.i}.places`] = `Places at workstation ${row.i + 1} must be a whole number, 1 or more`;
	}
	const minutes = Number(rotationMinutesText);
	if (!/^\d{1,3}$/.test(rotationMinutesText) || minutes < 5 || minutes > 240) errors.rotationMinutes = 'Rotation length must be between 5 and 240 minutes';
	if (Object.keys(errors).length > 0) return { ok: false, errors };
	return withTransaction(db, async (trx) => {
		// Replacing the workstations gives them new ids: once a station register is saved
		// (which locks the session too), the counts would lose their station, so refuse.
		await queries.lockSession(trx, sessionId);
		if (await hasStationHeadcounts(trx, sessionId)) {
			return { ok: false, errors: { stations: 'Workstation registers have been recorded for this session, so its workstations can no longer be changed' } };
		}
		await queries.replaceStations(trx, sessionId, used.map((r) => ({ name: r.name, theme: r.theme, places: Number(r.places) })));
		await queries.updateSession(trx, sessionId, { rotation_minutes: minutes });
		await insertAuditEvent(trx, { actorId: actor.id, action: 'session.stations_saved', entityType: 'session', entityId: sessionId, detail: { stations: used.length }, address: actor.address });
		return { ok: true };
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
