import { sql, type Kysely } from 'kysely';

// Young people on each school's list, their enrolments in programmes, and what happened at
// sessions: a named mark per young person, or a headcount per school and year group.

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('young_person')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id'))
		.addColumn('first_name', 'text', (c) => c.notNull().check(sql`length(trim(first_name)) between 1 and 100`))
		.addColumn('last_name', 'text', (c) => c.notNull().check(sql`length(trim(last_name)) between 1 and 100`))
		// The year group rolls over each 1 September without re-entry: store the academic year
		// (by its starting calendar year) in which the young person was in Reception.
		.addColumn('reception_year', 'integer', (c) => c.notNull().check(sql`reception_year between 1990 and 2100`))
		// Equality monitoring, only where a programme asks for it.
		.addColumn('gender', 'text', (c) => c.check(sql`gender in ('female', 'male', 'other', 'not_said')`))
		.addColumn('sen', 'boolean')
		.addColumn('free_school_meals', 'boolean')
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('archived_at', 'timestamptz')
		.execute();
	// Matching on import: the same school, names and year group is the same young person.
	await sql`create index young_person_match_idx on young_person (school_id, reception_year, lower(last_name), lower(first_name))`.execute(db);

	await db.schema
		.createTable('enrolment')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('programme_id', 'uuid', (c) => c.notNull().references('programme.id'))
		.addColumn('young_person_id', 'uuid', (c) => c.notNull().references('young_person.id'))
		.addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('participant', 'mentor', 'mentee')`))
		.addColumn('stage', 'text', (c) => c.notNull().check(sql`stage in ('applied', 'enrolled', 'active', 'completed', 'withdrawn')`))
		.addColumn('started_on', 'date', (c) => c.notNull())
		.addColumn('ended_on', 'date')
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addUniqueConstraint('enrolment_programme_young_person_key', ['programme_id', 'young_person_id'])
		.addCheckConstraint('enrolment_dates_check', sql`ended_on is null or ended_on >= started_on`)
		.execute();
	await db.schema.createIndex('enrolment_young_person_id_idx').on('enrolment').column('young_person_id').execute();

	await db.schema
		.createTable('attendance_mark')
		.addColumn('session_id', 'uuid', (c) => c.notNull().references('programme_session.id'))
		.addColumn('young_person_id', 'uuid', (c) => c.notNull().references('young_person.id'))
		.addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('present', 'late', 'excused', 'unexcused')`))
		.addColumn('station_id', 'uuid', (c) => c.references('station.id').onDelete('set null'))
		.addColumn('recorded_by', 'uuid', (c) => c.notNull().references('app_user.id'))
		.addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('attendance_mark_pkey', ['session_id', 'young_person_id'])
		.execute();
	await db.schema.createIndex('attendance_mark_young_person_id_idx').on('attendance_mark').column('young_person_id').execute();
	await db.schema.createIndex('attendance_mark_recorded_by_idx').on('attendance_mark').column('recorded_by').execute();

	await db.schema
		.createTable('attendance_headcount')
		.addColumn('session_id', 'uuid', (c) => c.notNull().references('programme_session.id'))
		.addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id'))
		.addColumn('year_group', 'text', (c) => c.notNull())
		.addColumn('count', 'integer', (c) => c.notNull().check(sql`count >= 0`))
		.addColumn('recorded_by', 'uuid', (c) => c.notNull().references('app_user.id'))
		.addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('attendance_headcount_pkey', ['session_id', 'school_id', 'year_group'])
		.execute();
	await db.schema.createIndex('attendance_headcount_school_id_idx').on('attendance_headcount').column('school_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('attendance_headcount').execute();
	await db.schema.dropTable('attendance_mark').execute();
	await db.schema.dropTable('enrolment').execute();
	await db.schema.dropTable('young_person').execute();
}
