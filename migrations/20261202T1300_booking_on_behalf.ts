import { sql, type Kysely } from 'kysely';

// A lead's reach over a school's young people comes only from what the school or an admin did.
// A booking made by anyone other than the school's own contact is marked as made on the
// school's behalf, and widens no lead's reach until an admin approves it (an admin's own
// booking is approved as it is made). Bookings made before this change are taken as the
// school's own, as they were treated until now.
//
// Enrolments record who made them: a lead's own enrolments widen no reach (a lead can only
// enrol young people already in reach), an admin's do. Enrolments made before this change have
// no maker recorded and count as an admin's.

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.alterTable('booking')
		.addColumn('on_behalf', 'boolean', (c) => c.notNull().defaultTo(false))
		.addColumn('approved_by', 'uuid', (c) => c.references('app_user.id'))
		.addColumn('approved_at', 'timestamptz')
		.execute();
	await sql`alter table booking add constraint booking_approval_check check ((approved_by is null) = (approved_at is null))`.execute(db);
	await db.schema
		.alterTable('enrolment')
		.addColumn('created_by', 'uuid', (c) => c.references('app_user.id'))
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('enrolment').dropColumn('created_by').execute();
	await sql`alter table booking drop constraint booking_approval_check`.execute(db);
	await db.schema.alterTable('booking').dropColumn('approved_at').dropColumn('approved_by').dropColumn('on_behalf').execute();
}
