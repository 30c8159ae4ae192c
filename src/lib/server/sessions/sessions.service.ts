import { withTransaction, type Db } from '../db';
import { insertAuditEvent } from '../audit/audit.queries';
import { authoriseSession, authoriseSessionList, refuse } from '../auth/policy';
import type { Actor } from '../auth/session';
import type { SchoolPhase, YearGroup } from '../db/schema';
import { staleEdit, versionOf, type ShownValues } from '../edit-versions';
import { sessionFormValues } from './session-form';
import { hasErrors, invalid, ok, refused, type Result } from '../result';
import { reportFiguresChanged } from '../reports/rollups';
import { queueBookingEmails } from '../bookings/bookings.emails';
import { fillFromWaitlist } from '../bookings/bookings.service';
import { listBookingsForSession } from '../bookings/bookings.queries';
import { getManagedProgramme } from '../programmes/programmes.service';
import { listProgrammes } from '../programmes/programmes.queries';
import { findSchool } from '../schools/schools.queries';
import { describeYearGroups, phaseYearGroups } from '../../year-groups';
import { formatDate, formatTime } from '../../format';
import { addDays, fromLondon, londonParts } from '../time';
import { holidaysAmong } from '../terms/terms.service';
import { describeHoliday } from '../terms/holidays';
import { validateSession, type SessionInput, type SessionTimes, type SessionValues } from './sessions.schema';
import * as queries from './sessions.queries';

const target = (entityId?: string) => ({ entityType: 'session', entityId });

export interface SessionListFilter {
	programmeId?: string;
	phase?: SchoolPhase;
	from: Date;
	to?: Date;
	/** Only the sessions waiting for this (the dashboard's links); for staff only, and it lifts `from`. */
	need?: queries.SessionNeed;
	now?: Date;
}

/** "The next 7 days" as the dashboard and the sessions list count them: from now to the end of the seventh UK day after today. */
export function nextSevenDaysEnd(now: Date): Date {
	return fromLondon(addDays(londonParts(now).date, 8));
}

/**
 * Sessions as each role may see them: a school contact those open to their school's year groups,
 * a lead their programmes', admins every one. Viewers see reports, not sessions.
 */
export async function listSessionsFor(db: Db, actor: Actor, filter: SessionListFilter) {
	await authoriseSessionList(db, actor);
	const now = filter.now ?? new Date();
	const need = filter.need && actor.role !== 'school' ? { need: filter.need, now, until: nextSevenDaysEnd(now) } : undefined;
	// A register to take is for a session that has started: a need brings in past sessions.
	const base: queries.SessionFilter = { programmeId: filter.programmeId, from: need ? undefined : filter.from, to: filter.to, need };
	if (actor.role === 'school') {
		const school = await findSchool(db, actor.schoolId!);
		return queries.listSessions(db, { ...base, yearGroups: phaseYearGroups[school!.phase], statuses: ['scheduled'] });
	}
	const phaseGroups = filter.phase ? phaseYearGroups[filter.phase] : undefined;
	if (actor.role === 'lead') {
		const mine = await listProgrammes(db, { leadId: actor.id });
		return queries.listSessions(db, { ...base, yearGroups: phaseGroups, programmeIds: mine.map((p) => p.id) });
	}
	return queries.listSessions(db, { ...base, yearGroups: phaseGroups });
}

/** One session; a school contact may see it only if it is open to their school or they booked it. */
export async function getSession(db: Db, actor: Actor, id: string) {
	return authoriseSession(db, actor, 'see', id, await queries.findSessionSummary(db, id));
}

/** A session the actor may book places at: a school contact's, or one they manage (booking on a school's behalf). */
export async function getBookableSession(db: Db, actor: Actor, id: string) {
	return authoriseSession(db, actor, 'book', id, await queries.findSessionSummary(db, id));
}

/** A session the actor manages, checked against the programme in the address. */
export async function getManagedSession(db: Db, actor: Actor, programmeId: string, id: string) {
	await getManagedProgramme(db, actor, programmeId);
	const session = await queries.findSessionSummary(db, id);
	return session && session.programme_id === programmeId ? session : refuse(db, actor, target(id));
}

/** A session's form input, for one of its dates, as its table's columns. */
function sessionRow(input: SessionInput, times: SessionTimes) {
	return {
		starts_at: times.startsAt,
		ends_at: times.endsAt,
		booking_opens_at: times.bookingOpensAt,
		booking_closes_at: times.bookingClosesAt,
		venue: input.venue,
		capacity: input.capacity,
		year_groups: input.yearGroups,
		school_cap: input.schoolCap,
		requires_approval: input.requiresApproval,
		rotation_minutes: input.rotationMinutes
	};
}

/** The version of a session its edit form is opened on (see edit-versions.ts). */
export const sessionFormVersion = (session: Parameters<typeof sessionFormValues>[0]): string => versionOf(shownSession(session));

const sessionLabels = {
	date: 'Date',
	startTime: 'Start time',
	endTime: 'End time',
	venue: 'Venue',
	capacity: 'Places',
	bookingOpens: 'Booking opens',
	bookingCloses: 'Booking closes',
	yearGroups: 'Year groups that can book',
	schoolCap: 'Most places one school can book',
	requiresApproval: 'The lead must approve each booking',
	rotationMinutes: 'Rotation length in minutes'
};

/** A session's details as its form shows them: dates as people write them, year groups and the yes or no by their labels. */
function shownSession(session: Parameters<typeof sessionFormValues>[0]): ShownValues {
	const v = sessionFormValues(session);
	const day = (date: string) => formatDate(`${date}T12:00:00Z`);
	return {
		date: day(v.date),
		startTime: v.startTime,
		endTime: v.endTime,
		venue: v.venue,
		capacity: v.capacity,
		bookingOpens: day(v.bookingOpens),
		bookingCloses: day(v.bookingCloses),
		yearGroups: describeYearGroups(v.yearGroups as YearGroup[]),
		schoolCap: v.schoolCap,
		requiresApproval: v.requiresApproval ? 'Yes' : 'No',
		rotationMinutes: v.rotationMinutes
	};
}

/** A message beside the date when the programme already has a session at that time and venue. */
async function duplicateProblem(db: Db, programmeId: string, input: SessionInput, exceptId?: string) {
	const clashes = await queries.listDuplicateSessions(
		db,
		programmeId,
		input.venue,
		input.occurrences.map((o) => o.startsAt),
		exceptId
	);
	const first = clashes[0];
	if (!first) return undefined;
	const when = `${formatDate(first.starts_at)} at ${formatTime(first.starts_at)}`;
	const more = clashes.length > 1 ? ` (and ${clashes.length - 1} more of these dates)` : '';
	return invalid({ date: `This programme already has a session at ${first.venue} on ${when}${more}: change that session instead` });
}

const sessionDay = (times: SessionTimes) => londonParts(times.startsAt).date;

/** A warning the user may confirm past: the session's dates that fall in the school holidays. */
async function holidayWarning(db: Db, dates: string[]) {
	const holidays = await holidaysAmong(db, dates);
	const inHoliday = dates.filter((d) => holidays.has(d));
	const first = inHoliday[0];
	if (!first) return undefined;
	const message =
		inHoliday.length === 1
			? `${formatDate(first)} is in ${describeHoliday(holidays.get(first)!)}, when schools are closed`
			: `${inHoliday.length} of these dates are in the school holidays, when schools are closed: ${inHoliday.map((d) => formatDate(d)).join(', ')}`;
	return refused('in_holiday', message, 'date');
}

/**
 * Schedules one session or a series of them for a programme the actor leads. A series leaves out
 * the dates in the school holidays (unless asked not to) and says which; a date in the holidays
 * that is not left out is refused with `in_holiday` until the user confirms it.
 */
export async function scheduleSessions(
	db: Db,
	actor: Actor,
	programmeId: string,
	values: SessionValues,
	now = new Date()
): Promise<Result<{ ids: string[]; skipped: string[] }>> {
	const programme = await getManagedProgramme(db, actor, programmeId);
	const { errors, input: asked } = validateSession(values, {
		programmeYearGroups: programme.year_groups,
		carousel: programme.shape === 'carousel',
		now,
		series: true
	});
	if (hasErrors(errors)) return invalid(errors);
	let input = asked;
	let skipped: string[] = [];
	const series = values.repeat === 'weekly' || values.repeat === 'weekdays';
	if (series && values.skipHolidays !== false) {
		const holidays = await holidaysAmong(db, asked.occurrences.map(sessionDay));
		skipped = asked.occurrences.map(sessionDay).filter((d) => holidays.has(d));
		input = { ...asked, occurrences: asked.occurrences.filter((o) => !holidays.has(sessionDay(o))) };
		if (input.occurrences.length === 0) return invalid({ date: 'Every date of this series is in the school holidays: choose other dates' });
	} else if (!values.confirmHoliday) {
		const warning = await holidayWarning(db, asked.occurrences.map(sessionDay));
		if (warning) return warning;
	}
	const duplicate = await duplicateProblem(db, programmeId, input);
	if (duplicate) return duplicate;
	const created = await withTransaction(db, async (trx) => {
		const rows = await queries.insertSessions(
			trx,
			input.occurrences.map((times) => ({ programme_id: programmeId, ...sessionRow(input, times) }))
		);
		await insertAuditEvent(trx, {
			actorId: actor.id,
			action: 'session.created',
			entityType: 'programme',
			entityId: programmeId,
			detail: { sessions: rows.map((r) => r.id), ...(skipped.length ? { skippedHolidays: skipped } : {}) },
			address: actor.address
		});
		return ok({ ids: rows.map((r) => r.id), skipped });
	});
	// A session counts for all schools as soon as it exists (cancelled, or delivered once started).
	if (created.ok) reportFiguresChanged({ sessions: created.ids.map((id) => ({ id, itself: true })) });
	return created;
}

/**
 * Changes a session's details. Its capacity cannot go below the places already confirmed; a
 * higher capacity goes to the waiting list at once.
 */
export async function updateSessionDetails(
	db: Db,
	actor: Actor,
	programmeId: string,
	id: string,
	values: SessionValues,
	now = new Date(),
	basedOn = ''
): Promise<Result<{ ids: string[] }>> {
	const programme = await getManagedProgramme(db, actor, programmeId);
	const current = await getManagedSession(db, actor, programmeId, id);
	const { errors, input } = validateSession(values, {
		programmeYearGroups: programme.year_groups,
		carousel: programme.shape === 'carousel',
		now,
		series: false
	});
	if (hasErrors(errors)) return invalid(errors);
	// Moving a session into the holidays asks first; one already there is not asked about again.
	const day = sessionDay(input.occurrences[0]!);
	if (!values.confirmHoliday && day !== londonParts(current.starts_at).date) {
		const warning = await holidayWarning(db, [day]);
		if (warning) return warning;
	}
	const duplicate = await duplicateProblem(db, programmeId, input, id);
	if (duplicate) return duplicate;
	const times = input.occurrences[0]!;
	const outcome = await withTransaction(db, async (trx) => {
		const locked = await queries.lockSession(trx, id);
		if (!locked || locked.status !== 'scheduled') return refused('not_scheduled', 'Only a scheduled session can be changed', 'date');
		const stale = staleEdit({
			noun: 'This session',
			basedOn,
			mine: shownSession(sessionRow(input, times)),
			saved: shownSession(locked),
			labels: sessionLabels,
			savedAt: locked.updated_at,
			now
		});
		if (stale) return stale;
		const confirmed = (await queries.findSessionSummary(trx, id))!.confirmed;
		if (input.capacity < confirmed) {
			return refused('below_confirmed', `${confirmed} places are already confirmed: places cannot be fewer than that`, 'capacity');
		}
		await queries.updateSession(trx, id, sessionRow(input, times));
		const promotions = await fillFromWaitlist(trx, { id, capacity: input.capacity });
		await insertAuditEvent(trx, { actorId: actor.id, action: 'session.updated', ...target(id), address: actor.address });
		await queueBookingEmails(
			trx,
			promotions.map((p) => ({ bookingId: p.bookingId, kind: 'promoted' as const }))
		);
		return ok({ ids: [id] });
	});
	if (outcome.ok) reportFiguresChanged({ sessions: [{ id, formerDay: londonParts(current.starts_at).date }] });
	return outcome;
}

/** Cancels a session: its bookings are kept as history, and every school that booked is emailed. */
export async function cancelSession(db: Db, actor: Actor, programmeId: string, id: string): Promise<Result> {
	await getManagedSession(db, actor, programmeId, id);
	const outcome = await withTransaction(db, async (trx) => {
		const locked = await queries.lockSession(trx, id);
		if (locked?.status !== 'scheduled') return refused('not_scheduled', 'Only a scheduled session can be cancelled');
		await queries.updateSession(trx, id, { status: 'cancelled' });
		await insertAuditEvent(trx, { actorId: actor.id, action: 'session.cancelled', ...target(id), address: actor.address });
		const bookings = (await listBookingsForSession(trx, id)).filter((b) => b.status !== 'cancelled');
		await queueBookingEmails(
			trx,
			bookings.map((b) => ({ bookingId: b.id, kind: 'session_cancelled' as const }))
		);
		return ok();
	});
	if (outcome.ok) reportFiguresChanged({ sessions: [{ id, itself: true }] });
	return outcome;
}

/**
 * What cancelling a session will do, for the page that asks first: the bookings it ends, the
 * places they held and the schools that are emailed.
 */
export async function previewCancelSession(db: Db, actor: Actor, programmeId: string, id: string) {
	const session = await getManagedSession(db, actor, programmeId, id);
	const bookings = (await listBookingsForSession(db, id)).filter((b) => b.status !== 'cancelled');
	return {
		session,
		bookings: bookings.length,
		schools: [...new Set(bookings.map((b) => b.school_name))].sort(),
		places: bookings.reduce((sum, b) => sum + b.confirmed_places, 0),
		waiting: bookings.reduce((sum, b) => sum + (b.status === 'requested' ? b.places : b.places - b.confirmed_places), 0)
	};
}

/** Marks a session that has taken place as completed. */
export async function completeSession(db: Db, actor: Actor, programmeId: string, id: string, now = new Date()): Promise<Result> {
	const session = await getManagedSession(db, actor, programmeId, id);
	if (session.status !== 'scheduled') return refused('not_scheduled', 'Only a scheduled session can be marked completed');
	if (session.starts_at > now) return refused('not_started', 'A session can be marked completed once it has started');
	await withTransaction(db, async (trx) => {
		await queries.updateSession(trx, id, { status: 'completed' });
		await insertAuditEvent(trx, { actorId: actor.id, action: 'session.completed', ...target(id), address: actor.address });
	});
	reportFiguresChanged({ sessions: [{ id, itself: true }] });
	return ok();
}

/** Every session of a programme the actor manages, latest first. */
export async function listProgrammeSessions(db: Db, actor: Actor, programmeId: string) {
	await getManagedProgramme(db, actor, programmeId);
	const sessions = await queries.listSessions(db, { programmeId });
	return sessions.reverse();
}
