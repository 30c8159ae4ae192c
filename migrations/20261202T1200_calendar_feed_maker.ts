import { type Kysely } from 'kysely';

// Who made a school's calendar feed, so the feed stops when that person's account is
// deactivated (a contact who leaves the school must not keep a live view of its bookings).
// Feeds made before this change have no maker recorded and keep working until replaced.

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.alterTable('school_calendar_feed')
		.addColumn('created_by', 'uuid', (c) => c.references('app_user.id'))
		.execute();
	await db.schema.createIndex('school_calendar_feed_created_by_idx').on('school_calendar_feed').column('created_by').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('school_calendar_feed').dropColumn('created_by').execute();
}
