import ical, { ICalCalendarMethod, ICalEventStatus, type ICalCalendar } from 'ical-generator';
import { withTransaction, type Db } from '../db';
import type { BookingStatus, SessionStatus, YearGroup } from '../db/schema';
import { insertAuditEvent } from '../audit/audit.queries';
import { authoriseCalendarFeed } from '../auth/policy';
import type { Actor } from '../auth/session';
import { generateToken, hashToken } from '../auth/tokens';
import { getBooking } from '../bookings/bookings.service';
import { appOrigin } from '../origin';
import { ok, refused, type Result } from '../result';
import { plural } from '../../format';
import { yearGroupLabels } from '../../year-groups';
import * as queries from './calendar.queries';

// Calendar files and each school's private feed. Times go out as UTC instants (DTSTART ...Z),
// which every calendar shows in its own time zone: ical-generator formats a native Date given
// a `timezone` with the server process's local clock, not that zone, so naming Europe/London
// would be wrong on any server not itself set to UK time.

const PRODUCT_ID = { company: 'Dover District Safer Stronger Communities Partnership', product: 'Youth Programmes Tracker', language: 'EN' };
/** How far back a feed reaches, so last term's sessions stay visible but the file stays small. */
export const FEED_HISTORY_DAYS = 90;
const FEED_TOKEN = /^[a-z2-7]{32}$/;
const feedTarget = (schoolId: string | null) => ({ entityType: 'calendar_feed', entityId: schoolId ?? undefined });

interface EventSource {
	id: string;
	year_group: YearGroup;
	places: number;
	confirmed_places: number;
	status: BookingStatus;
	starts_at: Date;
	ends_at: Date;
	venue: string;
	session_status: SessionStatus;
	programme_name: string;
	school_name: string;
	last_modified?: Date;
}

/** A booking belongs in a calendar while it holds places at a session that is going ahead. */
export function hasCalendarEvent(b: { status: BookingStatus; confirmed_places: number; session_status: SessionStatus }): boolean {
	return holdsPlaces(b) && b.session_status !== 'cancelled';
}

function holdsPlaces(b: { status: BookingStatus; confirmed_places: number }): boolean {
	return b.status === 'confirmed' || (b.status === 'waitlisted' && b.confirmed_places > 0);
}

function newCalendar(name: string): ICalCalendar {
	// ical-generator 10.2.0 escapes an event's text but writes the calendar's NAME as given, so a
	// comma, semicolon or line break in a school's or programme's name is escaped here.
	const escaped = name.replace(/[\\;,]/g, '\\$&').replace(/\r\n|\r|\n/g, '\\n');
	return ical({ prodId: PRODUCT_ID, name: escaped, method: ICalCalendarMethod.PUBLISH });
}

function addEvent(calendar: ICalCalendar, b: EventSource): void {
	const cancelled = b.session_status === 'cancelled';
	const link = `${appOrigin()}/bookings/${b.id}`;
	const waiting = b.places - b.confirmed_places;
	const description = [
		cancelled ? 'This session has been cancelled.' : undefined,
		`School: ${b.school_name}`,
		`Year group: ${yearGroupLabels[b.year_group]}`,
		`Places confirmed: ${b.confirmed_places}${waiting > 0 ? ` of ${b.places} (${waiting} on the waiting list)` : ''}`,
		`See or change the booking: ${link}`
	].filter((line) => line !== undefined);
	calendar.createEvent({
		id: `booking-${b.id}@youth-programmes-tracker`,
		start: b.starts_at,
		end: b.ends_at,
		summary: `${cancelled ? 'Cancelled: ' : ''}${b.programme_name} (${plural(b.confirmed_places, 'place')})`,
		location: b.venue,
		description: description.join('\n'),
		url: link,
		status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
		lastModified: b.last_modified ?? null
	});
}

/**
 * One booking as a calendar file. Anyone who may see the booking may download it (others get
 * the audited 404 of getBooking). A booking with no confirmed places, or at a cancelled session,
 * has nothing to put in a calendar: that is refused with a message saying why, not audited,
 * since the actor may see the booking itself (the route answers it as a 404 with that message).
 * Pages should offer the link only when hasCalendarEvent(booking) is true.
 */
export async function bookingCalendar(db: Db, actor: Actor, bookingId: string): Promise<Result<{ ics: string }>> {
	const booking = await getBooking(db, actor, bookingId);
	if (booking.session_status === 'cancelled') return refused('session_cancelled', 'This session has been cancelled, so there is nothing to add to a calendar');
	if (!holdsPlaces(booking)) return refused('no_confirmed_places', 'This booking has no confirmed places yet, so there is nothing to add to a calendar');
	const calendar = newCalendar(booking.programme_name);
	addEvent(calendar, booking);
	return ok({ ics: calendar.toString() });
}

export interface FeedStatus {
	exists: boolean;
	createdAt?: Date;
}

/** Whether the actor's school has a calendar link, and since when. School contacts only. */
export async function getFeedStatus(db: Db, actor: Actor): Promise<FeedStatus> {
	await authoriseCalendarFeed(db, actor);
	const feed = await queries.findFeed(db, actor.schoolId!);
	return feed ? { exists: true, createdAt: feed.created_at } : { exists: false };
}

/**
 * Makes a new secret calendar link for the actor's school and returns its address: the only
 * time the secret is seen, as only its hash is stored. Any earlier link stops working.
 */
export async function createFeedLink(db: Db, actor: Actor, now = new Date()): Promise<string> {
	await authoriseCalendarFeed(db, actor);
	const schoolId = actor.schoolId!;
	const token = generateToken();
	await withTransaction(db, async (trx) => {
		const replaced = (await queries.findFeed(trx, schoolId)) !== undefined;
		await queries.upsertFeed(trx, schoolId, hashToken(token), actor.id, now);
		await insertAuditEvent(trx, {
			actorId: actor.id,
			action: 'calendar_feed.created',
			...feedTarget(schoolId),
			detail: { replaced },
			address: actor.address
		});
	});
	return `${appOrigin()}/calendar/${token}.ics`;
}

/** Stops the school's calendar link working; false when it had none. */
export async function revokeFeed(db: Db, actor: Actor): Promise<boolean> {
	await authoriseCalendarFeed(db, actor);
	const schoolId = actor.schoolId!;
	return withTransaction(db, async (trx) => {
		const revoked = await queries.deleteFeed(trx, schoolId);
		if (revoked) {
			await insertAuditEvent(trx, { actorId: actor.id, action: 'calendar_feed.revoked', ...feedTarget(schoolId), address: actor.address });
		}
		return revoked;
	});
}

/**
 * The calendar behind a feed link, for calendar apps that fetch it without signing in: the
 * secret in the address is the only credential. Undefined for a secret that is unknown,
 * replaced or revoked, or whose school is no longer active.
 */
export async function feedCalendar(db: Db, token: string, now = new Date()): Promise<string | undefined> {
	if (!FEED_TOKEN.test(token)) return undefined;
	const school = await queries.findFeedSchool(db, hashToken(token));
	if (!school) return undefined;
	const from = new Date(now.getTime() - FEED_HISTORY_DAYS * 86_400_000);
	const calendar = newCalendar(`${school.name}: youth programme bookings`);
	calendar.ttl(60 * 60);
	for (const booking of await queries.listFeedBookings(db, school.id, from)) addEvent(calendar, booking);
	return calendar.toString();
}
