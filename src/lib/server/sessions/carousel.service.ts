import { withTransaction, type Db } from '../db';
import { insertAuditEvent } from '../audit/audit.queries';
import type { Actor } from '../auth/session';
import { hasErrors, invalid, ok, refused, type FieldErrors, type Result } from '../result';
import { listBookingsForSession } from '../bookings/bookings.queries';
import { hasStationHeadcounts } from '../attendance/station-registers.queries';
import { yearGroupLabels } from '../../year-groups';
import { buildRotationGrid, type RotationGrid, type RotationGroup } from './rotation';
import { getManagedSession, getSession } from './sessions.service';
import { getManagedProgramme } from '../programmes/programmes.service';
import { holidaysAmong } from '../terms/terms.service';
import { addDays, fromLondon, isRealDate, londonParts } from '../time';
import { formatDate, plural } from '../../format';
import { lastSchedulableDay } from './sessions.schema';
import { DEFAULT_ROTATION_MINUTES, MAX_STATIONS, validateStations, type StationRow } from './sessions.schema';
import { staleEdit, versionOf, type ShownValues } from '../edit-versions';
import * as queries from './sessions.queries';
import { reportFiguresChanged } from '../reports/rollups';

/**
 * Sets a carousel session's workstations and rotation length. `basedOn` is the version of them
 * the form was opened on (stationsFormVersion; '' for none): see edit-versions.ts.
 */
export async function saveStations(
	db: Db,
	actor: Actor,
	programmeId: string,
	sessionId: string,
	rows: StationRow[],
	rotationMinutesText: string,
	basedOn = ''
): Promise<Result> {
	const session = await getManagedSession(db, actor, programmeId, sessionId);
	const { errors: rowErrors, stations, rotationMinutes } = validateStations(rows, rotationMinutesText);
	const errors: FieldErrors = session.shape === 'carousel' ? rowErrors : { stations: 'Only a carousel session has workstations', ...rowErrors };
	if (hasErrors(errors)) return invalid(errors);
	return withTransaction(db, async (trx) => {
		// Replacing the workstations gives them new ids: once a station register is saved
		// (which locks the session too), the counts would lose their station, so refuse.
		const locked = await queries.lockSession(trx, sessionId);
		if (await hasStationHeadcounts(trx, sessionId)) {
			return refused(
				'stations_registered',
				'Workstation registers have been recorded for this session, so its workstations can no longer be changed',
				'stations'
			);
		}
		// The session's row changes with its bookings and details too, so its time is not the workstations': none is given.
		const stale = staleEdit({
			noun: 'This session’s list of workstations',
			basedOn,
			mine: shownStations(stations, rotationMinutes),
			saved: shownStations(await queries.listStations(trx, sessionId), locked?.rotation_minutes ?? null),
			labels: stationLabels
		});
		if (stale) return stale;
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

/** The workstations form's fields as it shows them: every row (blank past the last workstation) and the rotation length. */
function shownStations(stations: readonly { name: string; theme: string; places: number }[], rotationMinutes: number | null): ShownValues {
	const shown: ShownValues = { rotationMinutes: String(rotationMinutes ?? DEFAULT_ROTATION_MINUTES) };
	for (let i = 0; i < MAX_STATIONS; i++) {
		const station = stations[i];
		shown[`stations.${i}.name`] = station?.name ?? '';
		shown[`stations.${i}.theme`] = station?.theme ?? '';
		shown[`stations.${i}.places`] = station ? String(station.places) : '';
	}
	return shown;
}

const stationLabels: Record<string, string> = {
	rotationMinutes: 'Minutes at each workstation',
	...Object.fromEntries(
		Array.from({ length: MAX_STATIONS }, (_, i) => [
			[`stations.${i}.name`, `Workstation ${i + 1}, name`],
			[`stations.${i}.theme`, `Workstation ${i + 1}, theme`],
			[`stations.${i}.places`, `Workstation ${i + 1}, places per rotation`]
		]).flat()
	)
};

/** The version of a session's workstations their form carries. */
export async function stationsFormVersion(db: Db, session: { id: string; rotation_minutes: number | null }): Promise<string> {
	return versionOf(shownStations(await queries.listStations(db, session.id), session.rotation_minutes));
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
		rotationMinutes: session.rotation_minutes ?? DEFAULT_ROTATION_MINUTES,
		endsAt: session.ends_at
	});
	return { session, stations, grid };
}

// Copy last year's week. The sessions of one week (Monday to Sunday, UK time) of a carousel
// programme are scheduled again, with their workstations and rotation length, a whole number of
// weeks later so each keeps its weekday and time: 52 weeks (364 days, the same weekday a year
// less a day or two on), or 53 weeks when 52 would put a session in the school holidays and 53
// would not (Kent's terms move with Easter and the calendar). Bookings are not copied: schools
// book the new week themselves.

export interface WeekCopyPlan {
	/** The Monday of the week copied and of the new week, 'YYYY-MM-DD'. */
	from: string;
	to: string;
	weeks: 52 | 53;
	sessions: {
		id: string;
		startsAt: Date;
		endsAt: Date;
		newStartsAt: Date;
		newEndsAt: Date;
		venue: string;
		stations: number;
		rotationMinutes: number | null;
	}[];
}

const mondayOf = (date: string) => addDays(date, -((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7));
const shiftInstant = (instant: Date, days: number) => {
	const { date, time } = londonParts(instant);
	return fromLondon(addDays(date, days), time);
};

/** The weeks (their Mondays, latest first) in which a programme has sessions that were not cancelled. */
function weeksOf(sessions: { starts_at: Date; status: string }[]): string[] {
	return [...new Set(sessions.filter((s) => s.status !== 'cancelled').map((s) => mondayOf(londonParts(s.starts_at).date)))].sort().reverse();
}

async function buildPlan(db: Db, sessions: Awaited<ReturnType<typeof queries.listSessions>>, from: string): Promise<WeekCopyPlan | undefined> {
	const inWeek = sessions.filter((s) => s.status !== 'cancelled' && mondayOf(londonParts(s.starts_at).date) === from);
	if (inWeek.length === 0) return undefined;
	const days = inWeek.map((s) => londonParts(s.starts_at).date);
	const at52 = await holidaysAmong(
		db,
		days.map((d) => addDays(d, 364))
	);
	let weeks: 52 | 53 = 52;
	if (at52.size > 0) {
		const at53 = await holidaysAmong(
			db,
			days.map((d) => addDays(d, 371))
		);
		if (at53.size === 0) weeks = 53;
	}
	const stations = await queries.listStationsOfSessions(
		db,
		inWeek.map((s) => s.id)
	);
	return {
		from,
		to: addDays(from, weeks * 7),
		weeks,
		sessions: inWeek.map((s) => ({
			id: s.id,
			startsAt: s.starts_at,
			endsAt: s.ends_at,
			newStartsAt: shiftInstant(s.starts_at, weeks * 7),
			newEndsAt: shiftInstant(s.ends_at, weeks * 7),
			venue: s.venue,
			stations: stations.filter((st) => st.session_id === s.id).length,
			rotationMinutes: s.rotation_minutes
		}))
	};
}

/** Why the plan cannot be carried out now, if it cannot. */
async function planProblem(db: Db, programmeId: string, plan: WeekCopyPlan, now: Date) {
	const first = plan.sessions[0]!;
	if (first.newStartsAt <= now) {
		return refused('in_past', `The copied week would start on ${formatDate(first.newStartsAt)}, which has passed: choose a later week to copy`, 'from');
	}
	const latest = lastSchedulableDay(now);
	if (plan.to > latest) {
		return refused('too_far', `The copied week would be after the end of next academic year (${formatDate(latest)}): choose an earlier week to copy`, 'from');
	}
	const taken = (await queries.listSessions(db, { programmeId, from: fromLondon(plan.to), to: fromLondon(addDays(plan.to, 7)) })).filter(
		(s) => s.status !== 'cancelled'
	);
	if (taken.length > 0) {
		return refused(
			'already_scheduled',
			`This programme already has ${plural(taken.length, 'session')} in the week of ${formatDate(plan.to)}: nothing was copied. Change those sessions instead`,
			'from'
		);
	}
	return undefined;
}

/**
 * What copying a week would schedule, for the page that shows the dates first: the weeks there
 * are to copy from (latest first), the chosen one (`from`, a Monday, or else the latest) and its
 * plan, and why it cannot be copied now, if it cannot.
 */
export async function previewWeekCopy(db: Db, actor: Actor, programmeId: string, from: string | undefined, now = new Date()) {
	const programme = await getManagedProgramme(db, actor, programmeId);
	const sessions = await queries.listSessions(db, { programmeId });
	const weeks = weeksOf(sessions);
	const chosen = from && weeks.includes(from) ? from : weeks[0];
	const plan = chosen ? await buildPlan(db, sessions, chosen) : undefined;
	const refusal = plan ? await planProblem(db, programmeId, plan, now) : undefined;
	const problem = programme.shape !== 'carousel' ? 'Only a carousel programme has a week to copy' : refusal?.code === 'refused' ? refusal.message : undefined;
	return { programme, weeks, plan, problem };
}

/**
 * Schedules the sessions of the week starting `from` (a Monday) again 52 or 53 weeks later, with
 * their workstations and rotation length, in one transaction; refused, with nothing written, when
 * the new week already has sessions of the programme.
 */
export async function copyWeek(
	db: Db,
	actor: Actor,
	programmeId: string,
	from: string,
	now = new Date()
): Promise<Result<{ ids: string[]; plan: WeekCopyPlan }>> {
	const programme = await getManagedProgramme(db, actor, programmeId);
	if (programme.shape !== 'carousel') return refused('not_carousel', 'Only a carousel programme has a week to copy', 'from');
	if (!isRealDate(from)) return invalid({ from: 'Choose the week to copy' });
	const copied = await withTransaction(db, async (trx) => {
		await queries.lockProgrammeForScheduling(trx, programmeId);
		const all = await queries.listSessions(trx, { programmeId });
		const plan = await buildPlan(trx, all, from);
		if (!plan) return invalid({ from: 'This programme has no sessions that week: choose a week from the list' });
		const problem = await planProblem(trx, programmeId, plan, now);
		if (problem) return problem;
		const days = plan.weeks * 7;
		const originals = plan.sessions.map((s) => all.find((a) => a.id === s.id)!);
		const rows = await queries.insertSessions(
			trx,
			plan.sessions.map((s, i) => {
				const original = originals[i]!;
				const bookingOpensAt = shiftInstant(original.booking_opens_at, days);
				return {
					programme_id: programmeId,
					starts_at: s.newStartsAt,
					ends_at: s.newEndsAt,
					venue: s.venue,
					capacity: original.capacity,
					booking_opens_at: bookingOpensAt,
					booking_closes_at: new Date(Math.min(shiftInstant(original.booking_closes_at, days).getTime(), s.newStartsAt.getTime())),
					year_groups: original.year_groups,
					school_cap: original.school_cap,
					requires_approval: original.requires_approval,
					rotation_minutes: s.rotationMinutes
				};
			})
		);
		const stations = await queries.listStationsOfSessions(
			trx,
			plan.sessions.map((s) => s.id)
		);
		const newId = new Map(plan.sessions.map((s, i) => [s.id, rows[i]!.id]));
		await queries.insertStations(
			trx,
			stations.map((st) => ({ session_id: newId.get(st.session_id)!, position: st.position, name: st.name, theme: st.theme, places: st.places }))
		);
		await insertAuditEvent(trx, {
			actorId: actor.id,
			action: 'session.week_copied',
			entityType: 'programme',
			entityId: programmeId,
			detail: { from: plan.from, to: plan.to, weeks: plan.weeks, sessions: rows.map((r) => r.id), stations: stations.length },
			address: actor.address
		});
		return ok({ ids: rows.map((r) => r.id), plan });
	});
	if (copied.ok) reportFiguresChanged({ sessions: copied.ids.map((id) => ({ id, itself: true })) });
	return copied;
}
