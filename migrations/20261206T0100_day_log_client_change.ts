import { sql, type Kysely } from 'kysely';

// Mentoring meetings and award days logged on a tablet for a day without signal are sent later,
// the way registers are (20261204T0100_attendance_client_change): each change carries an id the
// tablet made, kept here the first time it is applied with a hash of what it said, so a re-send
// is answered with the first outcome and an id sent again with a different change is refused.
// attendance_client_change belongs to a session, which a meeting or an award day has not: these
// belong to their programme, and go with it. An award day also gets a version, raised by one at
// every change, so a day someone else logged since the device downloaded the group comes back
// as a conflict instead of being overwritten.

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('day_log_client_change')
		.addColumn('client_id', 'uuid', (c) => c.primaryKey())
		.addColumn('programme_id', 'uuid', (c) => c.notNull().references('programme.id').onDelete('cascade'))
		.addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('meeting', 'award_day')`))
		.addColumn('recorded_by', 'uuid', (c) => c.notNull().references('app_user.id'))
		.addColumn('change_hash', 'text', (c) => c.notNull())
		.addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('saved', 'conflict')`))
		.addColumn('applied_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('day_log_client_change_programme_id_idx').on('day_log_client_change').column('programme_id').execute();
	await db.schema.createIndex('day_log_client_change_recorded_by_idx').on('day_log_client_change').column('recorded_by').execute();
	await db.schema
		.alterTable('award_day')
		.addColumn('version', 'integer', (c) =>
			c
				.notNull()
				.defaultTo(1)
				.check(sql`version >= 1`)
		)
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('award_day').dropColumn('version').execute();
	await db.schema.dropTable('day_log_client_change').execute();
}
