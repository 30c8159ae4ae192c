import { formatCount, plural } from '../../format';
import type { Transaction } from 'kysely';
import { withTransaction, type Db } from '../db';
import { insertAuditEvent } from '../audit/audit.queries';
import {
	authoriseBooking,
	authoriseOwnBookings,
	mayBooking,
	authoriseSession,
	bookingApprovedAsMade,
	bookingIsOnBehalf,
	mayManageProgramme,
	refuse
} from '../auth/policy';
import type { Actor } from '../auth/session';
import type { BookingStatus, DB } from '../db/schema';
import { hasErrors, invalid, invalidField, ok, refused, type Failure, type Result } from '../result';
import { reportFiguresChanged } from '../reports/rollups';
import { findSchool } from '../schools/schools.queries';
import { findSessionSummary, lockSession } from '../sessions/sessions.queries';
import { phaseYearGroups, yearGroupLabels } from '../../year-groups';
import { describePlaces, UNDO_MINUTES } from '../../bookings';
import { queueBookingEmails } from './bookings.emails';
import { parseChangedPlaces, validateBooking, type BookingValues } from './bookings.schema';
import * as queries from './bookings.queries';
import { staleEdit, versionOf, type ShownValues } from '../edit-versions';

const target = (entityId?: string) => ({ entityType: 'booking', entityId });

export interface Promotion {
	bookingId: string;
	granted: number;
	nowConfirmed: boolean;
}

/**
 * Gives free places to the waiting list in the order the schools asked, partly when only some
 * are free. Call it with the session row locked, after any change that frees places.
 */
export async function fillFromWaitlist(trx: Transaction<DB>, session: { id: string; capacity: number }): Promise<Promotion[]> {
	let free = session.capacity - (await queries.sumConfirmedPlaces(trx, session.id));
	const promotions: Promotion[] = [];
	for (const booking of await queries.listWaitlist(trx, session.id)) {
		if (free <= 0) break;
		// A school waiting for all its places together is passed over until they are all free.
		if (booking.whole_only && free < booking.places - booking.confirmed_places) continue;
		const granted = Math.min(free, booking.places - booking.confirmed_places);
		const confirmed = booking.confirmed_places + granted;
		await queries.updateBooking(trx, booking.id, {
			confirmed_places: confirmed,
			status: confirmed === booking.places ? 'confirmed' : 'waitlisted'
		});
		promotions.push({ bookingId: booking.id, granted, nowConfirmed: confirmed === booking.places });
		free -= granted;
	}
	return promotions;
}

type LockedSession = NonNullable<Awaited<ReturnType<typeof lockSession>>>;

type SessionWindow = Pick<LockedSession, 'status' | 'starts_at' | 'booking_opens_at' | 'booking_closes_at'>;

/**
 * Why nobody (or, for the window, no school) can book this session now: cancelled or completed,
 * started, not yet open or closed. The booking form says so before it is filled in.
 */
export function notBookable(session: SessionWindow, isSchool: boolean, now: Date): { reason: string; message: string } | undefined {
	if (session.status !== 'scheduled') return { reason: 'session_not_scheduled', message: `This session is ${session.status} and cannot be booked` };
	if (now >= session.starts_at) return { reason: 'session_started', message: 'This session has already started' };
	if (isSchool && now < session.booking_opens_at) return { reason: 'booking_not_open', message: 'Booking for this session has not opened yet' };
	if (isSchool && now >= session.booking_closes_at) return { reason: 'booking_closed', message: 'Booking for this session has closed' };
	return undefined;
}

/** What stops this booking at this session now: cancelled or past sessions, the window, year groups. */
function sessionProblem(session: LockedSession, yearGroupOk: boolean, isSchool: boolean, now: Date): Failure | undefined {
	const closed = notBookable(session, isSchool, now);
	if (closed) return refused(closed.reason, closed.message, 'places');
	if (!yearGroupOk) return refused('year_group_not_offered', 'This session is not open to that year group at your school', 'yearGroup');
	return undefined;
}

/** The session a booking is for, if the actor may book it: a 404 otherwise. */
async function bookableSession(db: Db, actor: Actor, sessionId: string) {
	// A school sees (and may ask to book) exactly the sessions its page shows it: a primary
	// school probing a secondary session gets the same 404 here as on the page.
	return authoriseSession(db, actor, 'book', sessionId, await findSessionSummary(db, sessionId));
}

/**
 * Books places for a school: confirmed while places are free, "requested" when the lead must
 * approve, otherwise on the waiting list. The session row is locked, then places counted, then
 * the booking, its audit row and its emails written, in one transaction, so concurrent requests
 * never overbook and an email goes if and only if its booking was made. A form sent twice (the
 * same idempotency key) finds the booking the first one made.
 */
export async function bookPlaces(
	db: Db,
	actor: Actor,
	sessionId: string,
	values: BookingValues,
	now = new Date()
): Promise<Result<{ bookingId: string; status: BookingStatus; places: number; confirmedPlaces: number; repeated: boolean }>> {
	await bookableSession(db, actor, sessionId);
	const isSchool = actor.role === 'school';
	const { errors, input } = validateBooking(values, { needsSchool: !isSchool });
	if (isSchool) input.schoolId = actor.schoolId!;
	if (hasErrors(errors)) return invalid(errors);
	const school = await findSchool(db, input.schoolId);
	if (!school?.active) return invalidField('schoolId', 'Select the school');

	const repeated = async () => {
		const earlier = input.idempotencyKey ? await queries.findBookingByKey(db, input.idempotencyKey) : undefined;
		if (!earlier) return undefined;
		if (earlier.session_id !== sessionId || earlier.school_id !== input.schoolId) return refuse(db, actor, target(earlier.id));
		return ok({ bookingId: earlier.id, status: earlier.status, places: earlier.places, confirmedPlaces: earlier.confirmed_places, repeated: true });
	};
	const before = await repeated();
	if (before) return before;

	let outcome;
	try {
		outcome = await withTransaction(db, async (trx) => {
			const locked = await lockSession(trx, sessionId);
			if (!locked) return refused('session_missing', 'This session no longer exists', 'places');
			const yearGroupOk = locked.year_groups.includes(input.yearGroup) && phaseYearGroups[school.phase].includes(input.yearGroup);
			const problem = sessionProblem(locked, yearGroupOk, isSchool, now);
			if (problem) return problem;
			if (input.places > locked.capacity) {
				return refused('over_capacity', `This session has ${plural(locked.capacity, 'place')} in all`, 'places');
			}
			if (locked.school_cap !== null) {
				const held = await queries.sumSchoolPlaces(trx, sessionId, input.schoolId);
				if (held + input.places > locked.school_cap) {
					const left = Math.max(0, locked.school_cap - held);
					const message =
						held === 0
							? `Each school can book up to ${plural(locked.school_cap, 'place')} here`
							: left === 0
								? `Each school can book up to ${plural(locked.school_cap, 'place')} here and ${school.name} already has them all, so it cannot book more`
								: `Each school can book up to ${plural(locked.school_cap, 'place')} here; ${school.name} already has ${formatCount(held)}, so you can book ${formatCount(left)} more`;
					return refused('over_school_cap', message, 'places');
				}
			}
			// The same form sent again skips the questions: its insert meets the first send's key
			// below. Asked only before a question, so the usual booking reads no more under the lock.
			const sameForm = async () => (input.idempotencyKey ? (await queries.findBookingByKey(trx, input.idempotencyKey)) !== undefined : false);
			const earlier = input.again ? undefined : await queries.findSchoolYearGroupBooking(trx, sessionId, input.schoolId, input.yearGroup);
			if (earlier && !(await sameForm())) {
				return refused(
					'already_booked',
					`${school.name} already has a booking for ${yearGroupLabels[input.yearGroup]} at this session (${describePlaces(earlier)}). Change that booking, or book these places as well`,
					'again'
				);
			}
			const needsApproval = isSchool && locked.requires_approval;
			// Part of what was asked for is free: the school chooses between those now and the rest
			// later, or waiting for all of them (or not booking, which never reaches here).
			if (!needsApproval && input.partial === null) {
				const free = locked.capacity - (await queries.sumConfirmedPlaces(trx, sessionId));
				if (free > 0 && input.places > free && !(await sameForm())) {
					return refused('partial_offer', `Only ${free} of the ${input.places} places you asked for are free: choose what to do`, 'partial');
				}
			}
			// Made on the school's behalf (by a lead or an admin): it widens no lead's reach over
			// the school's young people until an admin approves it; an admin's is approved as made.
			const onBehalf = bookingIsOnBehalf(actor, input.schoolId);
			const approvedAsMade = onBehalf && bookingApprovedAsMade(actor);
			const booking = await queries.insertBooking(trx, {
				session_id: sessionId,
				school_id: input.schoolId,
				year_group: input.yearGroup,
				places: input.places,
				confirmed_places: 0,
				status: needsApproval ? 'requested' : 'waitlisted',
				contact_name: input.contactName,
				contact_phone: input.contactPhone,
				class_names: input.classNames,
				access_needs: input.accessNeeds,
				idempotency_key: input.idempotencyKey,
				queued_at: now,
				created_by: actor.id,
				on_behalf: onBehalf,
				approved_by: approvedAsMade ? actor.id : null,
				approved_at: approvedAsMade ? now : null,
				whole_only: input.partial === 'wait'
			});
			const promotions = needsApproval ? [] : await fillFromWaitlist(trx, locked);
			const mine = promotions.find((p) => p.bookingId === booking.id);
			const confirmedPlaces = mine ? mine.granted : 0;
			const status: BookingStatus = needsApproval ? 'requested' : mine?.nowConfirmed ? 'confirmed' : 'waitlisted';
			await insertAuditEvent(trx, {
				actorId: actor.id,
				action: 'booking.created',
				...target(booking.id),
				detail: { sessionId, schoolId: input.schoolId, places: input.places, status, confirmedPlaces, onBehalf },
				address: actor.address
			});
			const others = promotions.filter((p) => p.bookingId !== booking.id);
			await queueBookingEmails(trx, [
				{ bookingId: booking.id, kind: status === 'confirmed' ? 'confirmed' : status === 'requested' ? 'requested' : 'waitlisted' },
				...others.map((p) => ({ bookingId: p.bookingId, kind: 'promoted' as const }))
			]);
			return ok({ bookingId: booking.id, status, places: input.places, confirmedPlaces, repeated: false });
		});
	} catch (error) {
		// Two sends of one form racing: the second hits the key's unique index; answer as the first.
		const again = (error as { code?: string }).code === '23505' ? await repeated() : undefined;
		if (again) return again;
		throw error;
	}
	if (outcome.ok) reportFiguresChanged({ sessions: [sessionId] });
	return outcome;
}

/** A booking the actor may see: their school's, or one at a programme they manage. */
export async function getBooking(db: Db, actor: Actor, id: string) {
	const booking = await authoriseBooking(db, actor, 'see', id, await queries.findBookingDetail(db, id));
	const approvable = booking.on_behalf && booking.approved_at === null && booking.status !== 'cancelled' && (await mayBooking(db, actor, booking, 'approve'));
	return { ...booking, approvable };
}

/**
 * Changes a booking's places or cancels it (places 0). Places given up go to the waiting list in
 * order; asking for more moves the booking's waiting places to the back of it (its confirmed
 * places stay confirmed). Schools may change a booking
 * until booking closes; leads until the session starts.
 */
async function changeBooking(
	db: Db,
	actor: Actor,
	id: string,
	places: number,
	action: 'booking.changed' | 'booking.cancelled',
	now: Date,
	basedOn = ''
): Promise<Result> {
	const detail = await authoriseBooking(db, actor, 'change', id, await queries.findBookingDetail(db, id));
	const field = action === 'booking.cancelled' ? 'cancel' : 'places';
	const outcome = await withTransaction(db, async (trx) => {
		const session = await lockSession(trx, detail.session_id);
		const booking = await queries.lockBooking(trx, id);
		if (!session || !booking) return refused('booking_missing', 'This booking no longer exists', field);
		if (booking.status === 'cancelled') return refused('already_cancelled', 'This booking is already cancelled', field);
		if (session.status !== 'scheduled') return refused('session_not_scheduled', `This session is ${session.status}`, field);
		const closes = actor.role === 'school' ? session.booking_closes_at : session.starts_at;
		if (now >= closes) return refused('booking_closed', 'Booking for this session has closed: contact the programme team to change it', field);
		// A school's office and the programme's lead may both have the booking open: the places
		// one of them asked for are not written over by the other's form, opened before.
		const stale = staleEdit({ noun: 'This booking', basedOn, mine: shownBooking({ places }), saved: shownBooking(booking), labels: bookingLabels });
		if (stale) return stale;
		if (places > 0) {
			if (places > session.capacity) return refused('over_capacity', `This session has ${session.capacity} places in all`, 'places');
			if (session.school_cap !== null) {
				const others = await queries.sumSchoolPlaces(trx, session.id, booking.school_id, booking.id);
				if (others + places > session.school_cap) {
					return refused('over_school_cap', `Each school can book up to ${session.school_cap} places here`, 'places');
				}
			}
		}
		if (places === 0) {
			await queries.updateBooking(trx, id, {
				status: 'cancelled',
				confirmed_places: 0,
				cancelled_at: now,
				// A request the lead had not yet approved holds no places, so there is nothing to give back.
				cancelled_confirmed_places: booking.status === 'requested' ? null : booking.confirmed_places
			});
		} else if (booking.status === 'requested') {
			await queries.updateBooking(trx, id, { places });
		} else {
			const confirmed = Math.min(booking.confirmed_places, places);
			await queries.updateBooking(trx, id, {
				places,
				confirmed_places: confirmed,
				status: confirmed === places ? 'confirmed' : 'waitlisted',
				...(places > booking.places ? { queued_at: now } : {})
			});
		}
		const promotions = await fillFromWaitlist(trx, session);
		await insertAuditEvent(trx, {
			actorId: actor.id,
			action,
			...target(id),
			detail: { from: booking.places, to: places, promoted: promotions.map((p) => p.bookingId) },
			address: actor.address
		});
		await queueBookingEmails(trx, [
			{ bookingId: id, kind: places === 0 ? 'cancelled' : 'changed' },
			...promotions.filter((p) => p.bookingId !== id).map((p) => ({ bookingId: p.bookingId, kind: 'promoted' as const }))
		]);
		return ok();
	});
	if (outcome.ok) reportFiguresChanged({ sessions: [detail.session_id] });
	return outcome;
}

/**
 * Changes the places a booking asks for. `basedOn` is the version of the booking the form was
 * opened on (bookingFormVersion; '' for none): see edit-versions.ts.
 */
export async function changePlaces(db: Db, actor: Actor, id: string, placesText: string, now = new Date(), basedOn = ''): Promise<Result> {
	// Whose booking it is is settled before the form is read: another school's is a 404, not a form error.
	await authoriseBooking(db, actor, 'change', id, await queries.findBookingDetail(db, id));
	const places = parseChangedPlaces(placesText);
	if (typeof places === 'string') return invalidField('places', places);
	return changeBooking(db, actor, id, places, 'booking.changed', now, basedOn);
}

/** A booking as its change form shows it. Its status and confirmed places move with the queue, and are not the form's. */
const shownBooking = (booking: { places: number }): ShownValues => ({ places: String(booking.places) });

/** The version of a booking its change form carries. */
export const bookingFormVersion = (booking: { places: number }): string => versionOf(shownBooking(booking));

const bookingLabels = { places: 'Number of places' };

export async function cancelBooking(db: Db, actor: Actor, id: string, now = new Date()): Promise<Result> {
	return changeBooking(db, actor, id, 0, 'booking.cancelled', now);
}

const UNDO_CANCEL_MINUTES = UNDO_MINUTES;

/** Whether a cancelled booking may still be undone now: within the time, and it held places. */
export function undoableUntil(booking: { status: BookingStatus; cancelled_at: Date | null; cancelled_confirmed_places: number | null }): Date | undefined {
	if (booking.status !== 'cancelled' || !booking.cancelled_at || !booking.cancelled_confirmed_places) return undefined;
	return new Date(booking.cancelled_at.getTime() + UNDO_CANCEL_MINUTES * 60_000);
}

/**
 * What cancelling a booking will do, for the page that asks first: the places given up, the
 * schools waiting that may get them, and who is emailed. Asked by whoever may cancel it.
 */
export async function previewCancelBooking(db: Db, actor: Actor, id: string) {
	const booking = await authoriseBooking(db, actor, 'change', id, await queries.findBookingDetail(db, id));
	const waiting = (await queries.listBookingsForSession(db, booking.session_id)).filter((b) => b.status === 'waitlisted' && b.id !== id);
	const contacts = (await queries.listSchoolContactEmails(db, booking.school_id)).length;
	return {
		booking,
		freedPlaces: booking.status === 'cancelled' ? 0 : booking.confirmed_places,
		waitingSchools: new Set(waiting.map((b) => b.school_id)).size,
		waitingPlaces: waiting.reduce((sum, b) => sum + b.places - b.confirmed_places, 0),
		contacts
	};
}

/**
 * Undoes a cancellation made in the last few minutes, while the places the booking held are
 * still free: the booking gets them back and keeps its place in the queue for any it was
 * waiting for. Places given to another school since are not taken back: book again instead.
 */
export async function undoCancelBooking(db: Db, actor: Actor, id: string, now = new Date()): Promise<Result> {
	const detail = await authoriseBooking(db, actor, 'change', id, await queries.findBookingDetail(db, id));
	const field = 'undo';
	const outcome = await withTransaction(db, async (trx) => {
		const session = await lockSession(trx, detail.session_id);
		const booking = await queries.lockBooking(trx, id);
		if (!session || !booking) return refused('booking_missing', 'This booking no longer exists', field);
		const until = undoableUntil(booking);
		if (!until) return refused('not_undoable', 'This booking cannot be given its places back: book again instead', field);
		if (now >= until) return refused('undo_expired', `A cancellation can be undone for ${UNDO_CANCEL_MINUTES} minutes: book again instead`, field);
		if (session.status !== 'scheduled') return refused('session_not_scheduled', `This session is ${session.status}`, field);
		const closes = actor.role === 'school' ? session.booking_closes_at : session.starts_at;
		if (now >= closes) return refused('booking_closed', 'Booking for this session has closed: contact the programme team', field);
		const held = booking.cancelled_confirmed_places!;
		const free = session.capacity - (await queries.sumConfirmedPlaces(trx, session.id));
		if (free < held) {
			return refused('places_taken', `The places have gone to other schools since (${Math.max(0, free)} free now): book again instead`, field);
		}
		if (session.school_cap !== null) {
			const others = await queries.sumSchoolPlaces(trx, session.id, booking.school_id, booking.id);
			if (others + booking.places > session.school_cap) {
				return refused('over_school_cap', `Each school can book up to ${session.school_cap} places here: book again instead`, field);
			}
		}
		await queries.updateBooking(trx, id, {
			status: held === booking.places ? 'confirmed' : 'waitlisted',
			confirmed_places: held,
			cancelled_at: null,
			cancelled_confirmed_places: null
		});
		const promotions = await fillFromWaitlist(trx, session);
		await insertAuditEvent(trx, {
			actorId: actor.id,
			action: 'booking.cancel_undone',
			...target(id),
			detail: { places: booking.places, confirmedPlaces: held, cancelledAt: booking.cancelled_at!.toISOString() },
			address: actor.address
		});
		await queueBookingEmails(trx, [
			{ bookingId: id, kind: 'reinstated' },
			...promotions.filter((p) => p.bookingId !== id).map((p) => ({ bookingId: p.bookingId, kind: 'promoted' as const }))
		]);
		return ok();
	});
	if (outcome.ok) reportFiguresChanged({ sessions: [detail.session_id] });
	return outcome;
}

/**
 * A lead approves a requested booking: it joins the queue where it asked, and takes free places.
 * Asked from a session's page, the booking must be of that session (`sessionId`), or it is a 404.
 */
export async function decideRequest(db: Db, actor: Actor, id: string, approve: boolean, sessionId?: string): Promise<Result> {
	const found = await queries.findBookingDetail(db, id);
	const detail = await authoriseBooking(db, actor, 'decide', id, sessionId === undefined || found?.session_id === sessionId ? found : undefined);
	const outcome = await withTransaction(db, async (trx) => {
		const session = await lockSession(trx, detail.session_id);
		const booking = await queries.lockBooking(trx, id);
		if (!session || booking?.status !== 'requested') {
			return refused('not_requested', 'This booking is no longer waiting for approval', 'decision');
		}
		// A cancelled or completed session has no places to give; declining still tidies up.
		if (approve && session.status !== 'scheduled') {
			return refused('session_not_scheduled', `This session is ${session.status}`, 'decision');
		}
		await queries.updateBooking(trx, id, approve ? { status: 'waitlisted' } : { status: 'cancelled', cancelled_at: new Date() });
		const promotions = approve ? await fillFromWaitlist(trx, session) : [];
		await insertAuditEvent(trx, { actorId: actor.id, action: approve ? 'booking.approved' : 'booking.declined', ...target(id), address: actor.address });
		const mine = promotions.find((p) => p.bookingId === id);
		await queueBookingEmails(trx, [
			{ bookingId: id, kind: !approve ? 'declined' : mine?.nowConfirmed ? 'confirmed' : 'waitlisted' },
			...promotions.filter((p) => p.bookingId !== id).map((p) => ({ bookingId: p.bookingId, kind: 'promoted' as const }))
		]);
		return ok();
	});
	if (outcome.ok) reportFiguresChanged({ sessions: [detail.session_id] });
	return outcome;
}

/**
 * An admin approves a booking a lead made on a school's behalf: from then on it counts for the
 * lead's reach over the school's young people, as if the school had made it.
 */
export async function approveOnBehalf(db: Db, actor: Actor, id: string, now = new Date()): Promise<Result> {
	await authoriseBooking(db, actor, 'approve', id, await queries.findBookingDetail(db, id));
	return withTransaction(db, async (trx) => {
		const booking = await queries.lockBooking(trx, id);
		if (!booking?.on_behalf || booking.approved_at !== null) return refused('not_on_behalf', 'This booking does not need approving', 'approve');
		if (booking.status === 'cancelled') return refused('already_cancelled', 'This booking is cancelled', 'approve');
		await queries.updateBooking(trx, id, { approved_by: actor.id, approved_at: now });
		await insertAuditEvent(trx, {
			actorId: actor.id,
			action: 'booking.behalf_approved',
			...target(id),
			detail: { schoolId: booking.school_id },
			address: actor.address
		});
		return ok();
	});
}

/** The bookings of a session: all of them for its leads and admins, a school's own for a school. */
export async function listSessionBookings(db: Db, actor: Actor, sessionId: string, programmeId: string) {
	if (actor.role === 'school') return queries.listBookingsForSession(db, sessionId, actor.schoolId!);
	if (await mayManageProgramme(db, actor, programmeId)) return queries.listBookingsForSession(db, sessionId);
	return [];
}

/** "My school's bookings", upcoming first. */
export async function listMySchoolBookings(db: Db, actor: Actor, now = new Date()) {
	const schoolId = await authoriseOwnBookings(db, actor);
	return queries.listBookingsForSchool(db, schoolId, { from: new Date(now.getTime() - 180 * 86_400_000) });
}
