import { sql } from 'kysely';
import type { Db } from '../db';

/** The school a feed's secret belongs to, by the secret's hash; only while the school and the feed's maker are active. */
export async function findFeedSchool(db: Db, tokenHash: string) {
	return db
		.selectFrom('school_calendar_feed as f')
		.innerJoin('school', 'school.id', 'f.school_id')
		.leftJoin('app_user as maker', 'maker.id', 'f.created_by')
		.select(['school.id', 'school.name'])
		.where('f.token_hash', '=', tokenHash)
		.where('school.active', '=', true)
		.where((eb) => eb.or([eb('f.created_by', 'is', null), eb('maker.status', '=', 'active')]))
		.executeTakeFirst();
}

/** Whether a school has a feed and since when: never the hash. */
export async function findFeed(db: Db, schoolId: string) {
	return db.selectFrom('school_calendar_feed').select(['created_at']).where('school_id', '=', schoolId).executeTakeFirst();
}

/** Sets a school's feed secret, replacing any earlier one (which then stops working). */
export async function upsertFeed(db: Db, schoolId: string, tokenHash: string, createdBy: string, now: Date): Promise<void> {
	await db
		.insertInto('school_calendar_feed')
		.values({ school_id: schoolId, token_hash: tokenHash, created_by: createdBy, created_at: now })
		.onConflict((oc) => oc.column('school_id').doUpdateSet({ token_hash: tokenHash, created_by: createdBy, created_at: now }))
		.execute();
}

/** Removes a school's feed; true when there was one. */
export async function deleteFeed(db: Db, schoolId: string): Promise<boolean> {
	const result = await db.deleteFrom('school_calendar_feed').where('school_id', '=', schoolId).executeTakeFirst();
	return result.numDeletedRows > 0n;
}

/**
 * A school's bookings that hold places (confirmed, or partly confirmed from the waiting list)
 * at sessions starting on or after `from`, with cancelled sessions included so a subscribed
 * calendar can show them as cancelled rather than let them silently vanish.
 */
export async function listFeedBookings(db: Db, schoolId: string, from: Date) {
	return db
		.selectFrom('booking')
		.innerJoin('programme_session as s', 's.id', 'booking.session_id')
		.innerJoin('programme as p', 'p.id', 's.programme_id')
		.innerJoin('school', 'school.id', 'booking.school_id')
		.select([
			'booking.id',
			'booking.year_group',
			'booking.places',
			'booking.confirmed_places',
			'booking.status',
			's.starts_at',
			's.ends_at',
			's.venue',
			's.status as session_status',
			'p.name as programme_name',
			'school.name as school_name',
			sql<Date>`greatest(booking.updated_at, s.updated_at)`.as('last_modified')
		])
		.where('booking.school_id', '=', schoolId)
		.where((eb) => eb.or([eb('booking.status', '=', 'confirmed'), eb.and([eb('booking.status', '=', 'waitlisted'), eb('booking.confirmed_places', '>', 0)])]))
		.where('s.starts_at', '>=', from)
		.orderBy('s.starts_at')
		.orderBy('booking.id')
		.execute();
}
