import { sql, type Kysely } from 'kysely';

// Programmes and their leads, dated sessions, carousel stations, school bookings, and each
// school's private calendar feed.

const yearGroups = `array['R','Y1','Y2','Y3','Y4','Y5','Y6','Y7','Y8','Y9','Y10','Y11','Y12','Y13','parents']::text[]`;

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('programme')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('name', 'text', (c) => c.notNull().check(sql`length(trim(name)) between 1 and 200`))
		.addColumn('shape', 'text', (c) => c.notNull().check(sql`shape in ('event', 'carousel', 'cohort', 'award', 'workshop')`))
		.addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('partnership_priority', 'text', (c) =>
			c
				.notNull()
				.check(
					sql`partnership_priority in ('Domestic Abuse', 'Safeguarding', 'Safer Communities', 'Prevent', 'Serious Organised Crime')`
				)
		)
		.addColumn('pcc_tags', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
		.addColumn('year_groups', sql`text[]`, (c) =>
			c.notNull().check(sql.raw(`cardinality(year_groups) > 0 and year_groups <@ ${yearGroups}`))
		)
		.addColumn('register_kind', 'text', (c) => c.notNull().check(sql`register_kind in ('named', 'headcount')`))
		.addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await sql`create unique index programme_name_key on programme (lower(name))`.execute(db);

	await db.schema
		.createTable('programme_lead')
		.addColumn('programme_id', 'uuid', (c) => c.notNull().references('programme.id').onDelete('cascade'))
		.addColumn('user_id', 'uuid', (c) => c.notNull().references('app_user.id'))
		.addPrimaryKeyConstraint('programme_lead_pkey', ['programme_id', 'user_id'])
		.execute();
	await db.schema.createIndex('programme_lead_user_id_idx').on('programme_lead').column('user_id').execute();

	await db.schema
		.createTable('programme_session')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('programme_id', 'uuid', (c) => c.notNull().references('programme.id'))
		.addColumn('starts_at', 'timestamptz', (c) => c.notNull())
		.addColumn('ends_at', 'timestamptz', (c) => c.notNull())
		.addColumn('venue', 'text', (c) => c.notNull())
		.addColumn('capacity', 'integer', (c) => c.notNull().check(sql`capacity >= 0`))
		.addColumn('booking_opens_at', 'timestamptz', (c) => c.notNull())
		.addColumn('booking_closes_at', 'timestamptz', (c) => c.notNull())
		.addColumn('year_groups', sql`text[]`, (c) =>
			c.notNull().check(sql.raw(`cardinality(year_groups) > 0 and year_groups <@ ${yearGroups}`))
		)
		.addColumn('school_cap', 'integer', (c) => c.check(sql`school_cap > 0`))
		.addColumn('requires_approval', 'boolean', (c) => c.notNull().defaultTo(false))
		.addColumn('status', 'text', (c) => c.notNull().defaultTo('scheduled').check(sql`status in ('scheduled', 'cancelled', 'completed')`))
		.addColumn('rotation_minutes', 'integer', (c) => c.check(sql`rotation_minutes between 5 and 240`))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addCheckConstraint('programme_session_times_check', sql`ends_at > starts_at`)
		.addCheckConstraint('programme_session_window_check', sql`booking_closes_at > booking_opens_at and booking_closes_at <= starts_at`)
		.execute();
	await db.schema.createIndex('programme_session_programme_id_idx').on('programme_session').columns(['programme_id', 'starts_at']).execute();
	await db.schema.createIndex('programme_session_starts_at_idx').on('programme_session').column('starts_at').execute();

	await db.schema
		.createTable('station')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('session_id', 'uuid', (c) => c.notNull().references('programme_session.id').onDelete('cascade'))
		.addColumn('position', 'integer', (c) => c.notNull())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('theme', 'text', (c) => c.notNull())
		.addColumn('places', 'integer', (c) => c.notNull().check(sql`places > 0`))
		.addUniqueConstraint('station_session_position_key', ['session_id', 'position'])
		.execute();

	await db.schema
		.createTable('booking')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('session_id', 'uuid', (c) => c.notNull().references('programme_session.id'))
		.addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id'))
		.addColumn('year_group', 'text', (c) => c.notNull().check(sql.raw(`year_group = any(${yearGroups})`)))
		.addColumn('places', 'integer', (c) => c.notNull().check(sql`places > 0`))
		// Places granted so far: all of them once confirmed; some or none while waitlisted.
		.addColumn('confirmed_places', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('status', 'text', (c) =>
			c.notNull().check(sql`status in ('requested', 'confirmed', 'waitlisted', 'cancelled')`)
		)
		.addColumn('contact_name', 'text', (c) => c.notNull())
		.addColumn('contact_phone', 'text', (c) => c.notNull())
		.addColumn('class_names', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('access_needs', 'text', (c) => c.notNull().defaultTo(''))
		// A form's one-time key: a double-click or a re-sent form finds the booking it made.
		.addColumn('idempotency_key', 'text', (c) => c.unique())
		// The waiting list's order: when the school asked for the places it still waits for.
		.addColumn('queued_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
		.addColumn('created_by', 'uuid', (c) => c.notNull().references('app_user.id'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('cancelled_at', 'timestamptz')
		.addColumn('reminder_sent_at', 'timestamptz')
		.addCheckConstraint(
			'booking_confirmed_places_check',
			sql`confirmed_places between 0 and places
				and (status <> 'confirmed' or confirmed_places = places)
				and (status not in ('requested', 'cancelled') or confirmed_places = 0)`
		)
		.execute();
	await db.schema.createIndex('booking_session_id_idx').on('booking').columns(['session_id', 'status']).execute();
	await db.schema.createIndex('booking_school_id_idx').on('booking').column('school_id').execute();
	await db.schema.createIndex('booking_created_by_idx').on('booking').column('created_by').execute();

	await db.schema
		.createTable('school_calendar_feed')
		.addColumn('school_id', 'uuid', (c) => c.primaryKey().references('school.id'))
		// SHA-256 of the secret in the feed's address; a new secret replaces (revokes) the old.
		.addColumn('token_hash', 'text', (c) => c.notNull().unique())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('school_calendar_feed').execute();
	await db.schema.dropTable('booking').execute();
	await db.schema.dropTable('station').execute();
	await db.schema.dropTable('programme_session').execute();
	await db.schema.dropTable('programme_lead').execute();
	await db.schema.dropTable('programme').execute();
}
