import { sql, type Insertable, type Transaction, type Updateable } from 'kysely';
import type { Db } from '../db';
import type { BookingTable, DB, YearGroup } from '../db/schema';

const bookingColumns = [
	'booking.id',
	'booking.session_id',
	'booking.school_id',
	'booking.year_group',
	'booking.places',
	'booking.confirmed_places',
	'booking.status',
	'booking.contact_name',
	'booking.contact_phone',
	'booking.class_names',
	'booking.access_needs',
	'booking.queued_at',
	'booking.created_at',
	'booking.cancelled_at',
	'booking.cancelled_confirmed_places',
	'booking.on_behalf',
	'booking.approved_at'
] as const;

/** Places granted at a session: all of a confirmed booking's, and the granted part of a waitlisted one. */
export async function sumConfirmedPlaces(db: Db, sessionId: string): Promise<number> {
	const row = await db
		.selectFrom('booking')
		.select(sql<number>`coalesce(sum(confirmed_places), 0)::int`.as('places'))
		.where('session_id', '=', sessionId)
		.where('status', 'in', ['confirmed', 'waitlisted'])
		.executeTakeFirstOrThrow();
	return row.places;
}

/** Places a school holds or asks for at a session, for the per-school cap. */
export async function sumSchoolPlaces(db: Db, sessionId: string, schoolId: string, exceptBookingId?: string): Promise<number> {
	let query = db
		.selectFrom('booking')
		.select(sql<number>`coalesce(sum(places), 0)::int`.as('places'))
		.where('session_id', '=', sessionId)
		.where('school_id', '=', schoolId)
		.where('status', '<>', 'cancelled');
	if (exceptBookingId) query = query.where('id', '<>', exceptBookingId);
	return (await query.executeTakeFirstOrThrow()).places;
}

/** The school's booking (not cancelled) for this year group at the session, if it has one. */
export async function findSchoolYearGroupBooking(db: Db, sessionId: string, schoolId: string, yearGroup: YearGroup) {
	return db
		.selectFrom('booking')
		.select(['id', 'places', 'confirmed_places', 'status'])
		.where('session_id', '=', sessionId)
		.where('school_id', '=', schoolId)
		.where('year_group', '=', yearGroup)
		.where('status', '<>', 'cancelled')
		.orderBy('queued_at')
		.executeTakeFirst();
}

export async function findBookingByKey(db: Db, key: string) {
	return db.selectFrom('booking').select(bookingColumns).where('idempotency_key', '=', key).executeTakeFirst();
}

export async function insertBooking(db: Db, booking: Insertable<BookingTable>) {
	return db.insertInto('booking').values(booking).returning(bookingColumns).executeTakeFirstOrThrow();
}

export async function updateBooking(db: Db, id: string, changes: Updateable<BookingTable>) {
	await db
		.updateTable('booking')
		.set({ ...changes, updated_at: new Date() })
		.where('id', '=', id)
		.execute();
}

export async function lockBooking(trx: Transaction<DB>, id: string) {
	return trx.selectFrom('booking').select(bookingColumns).where('id', '=', id).forUpdate().executeTakeFirst();
}

/** The waiting list in the order the schools asked. */
export async function listWaitlist(trx: Transaction<DB>, sessionId: string) {
	return trx
		.selectFrom('booking')
		.select(['id', 'school_id', 'places', 'confirmed_places', 'whole_only'])
		.where('session_id', '=', sessionId)
		.where('status', '=', 'waitlisted')
		.orderBy('queued_at')
		.orderBy('id')
		.execute();
}

/** A booking with its session, programme and school, for pages and emails. */
export async function findBookingDetail(db: Db, id: string) {
	return db
		.selectFrom('booking')
		.innerJoin('programme_session as s', 's.id', 'booking.session_id')
		.innerJoin('programme as p', 'p.id', 's.programme_id')
		.innerJoin('school', 'school.id', 'booking.school_id')
		.innerJoin('app_user as maker', 'maker.id', 'booking.created_by')
		.select(bookingColumns)
		.select([
			'maker.name as made_by_name',
			's.programme_id',
			's.starts_at',
			's.ends_at',
			's.venue',
			's.status as session_status',
			's.booking_closes_at',
			'p.name as programme_name',
			'school.name as school_name'
		])
		.where('booking.id', '=', id)
		.executeTakeFirst();
}

export type BookingDetail = NonNullable<Awaited<ReturnType<typeof findBookingDetail>>>;

export async function listBookingsForSession(db: Db, sessionId: string, schoolId?: string) {
	let query = db
		.selectFrom('booking')
		.innerJoin('school', 'school.id', 'booking.school_id')
		.innerJoin('app_user as maker', 'maker.id', 'booking.created_by')
		.select(bookingColumns)
		.select(['school.name as school_name', 'maker.name as made_by_name'])
		.where('booking.session_id', '=', sessionId);
	if (schoolId) query = query.where('booking.school_id', '=', schoolId);
	return query.orderBy('booking.queued_at').orderBy('booking.id').execute();
}

export async function listBookingsForSchool(db: Db, schoolId: string, filter: { from?: Date } = {}) {
	let query = db
		.selectFrom('booking')
		.innerJoin('programme_session as s', 's.id', 'booking.session_id')
		.innerJoin('programme as p', 'p.id', 's.programme_id')
		.innerJoin('app_user as maker', 'maker.id', 'booking.created_by')
		.select(bookingColumns)
		.select([
			's.starts_at',
			's.ends_at',
			's.venue',
			's.status as session_status',
			's.booking_closes_at',
			'p.name as programme_name',
			'maker.name as made_by_name'
		])
		.where('booking.school_id', '=', schoolId);
	if (filter.from) query = query.where('s.ends_at', '>', filter.from);
	return query.orderBy('s.starts_at').execute();
}

/** The active school contacts of a school, who get its booking emails. */
export async function listSchoolContactEmails(db: Db, schoolId: string): Promise<string[]> {
	const rows = await db
		.selectFrom('app_user')
		.select('email')
		.where('school_id', '=', schoolId)
		.where('role', '=', 'school')
		.where('status', '=', 'active')
		.execute();
	return rows.map((r) => r.email);
}

/**
 * Marks as reminded, in one statement, every booking holding places at a scheduled session
 * starting after `now` and by `until` that has not been reminded, and returns their ids.
 * The mark and the choice are one UPDATE, so two runs at once cannot both claim a booking
 * (PostgreSQL rechecks `reminder_sent_at is null` on a row another run has just updated).
 */
export async function updateDueReminders(db: Db, now: Date, until: Date): Promise<string[]> {
	const rows = await db
		.updateTable('booking')
		.from('programme_session as s')
		.set({ reminder_sent_at: now })
		.whereRef('s.id', '=', 'booking.session_id')
		.where('booking.reminder_sent_at', 'is', null)
		.where((eb) => eb.or([eb('booking.status', '=', 'confirmed'), eb.and([eb('booking.status', '=', 'waitlisted'), eb('booking.confirmed_places', '>', 0)])]))
		.where('s.status', '=', 'scheduled')
		.where('s.starts_at', '>', now)
		.where('s.starts_at', '<=', until)
		.returning('booking.id')
		.execute();
	return rows.map((r) => r.id);
}
