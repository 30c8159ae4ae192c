import { sql, type Kysely } from 'kysely';

// Peer mentoring (the `cohort` shape): a cohort per programme and academic year, sixth-form
// mentors paired with Year 8/9 mentees, and the meetings of each pair. A meeting records
// when, how long and which topics; its note is short and is not a place for case notes.

const topics = `array['cse','cce','gangs','risk_taking','online_safety','wellbeing','other']::text[]`;

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('mentoring_cohort')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('programme_id', 'uuid', (c) => c.notNull().references('programme.id'))
		// The academic year by the calendar year it began (2026 is 2026-27).
		.addColumn('academic_year', 'integer', (c) => c.notNull().check(sql`academic_year between 1990 and 2100`))
		.addColumn('max_mentees_per_mentor', 'integer', (c) => c.notNull().defaultTo(20).check(sql`max_mentees_per_mentor > 0`))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addUniqueConstraint('mentoring_cohort_programme_year_key', ['programme_id', 'academic_year'])
		.execute();
	// The unique constraint's index leads with programme_id, so it serves the foreign key too.

	await db.schema
		.createTable('mentoring_pair')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('cohort_id', 'uuid', (c) => c.notNull().references('mentoring_cohort.id'))
		.addColumn('mentor_id', 'uuid', (c) => c.notNull().references('young_person.id'))
		.addColumn('mentee_id', 'uuid', (c) => c.notNull().references('young_person.id'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('ended_on', 'date')
		// A mentee has one mentor per cohort.
		.addUniqueConstraint('mentoring_pair_cohort_mentee_key', ['cohort_id', 'mentee_id'])
		.addCheckConstraint('mentoring_pair_distinct_check', sql`mentor_id <> mentee_id`)
		.execute();
	await db.schema.createIndex('mentoring_pair_mentor_id_idx').on('mentoring_pair').columns(['mentor_id', 'cohort_id']).execute();
	await db.schema.createIndex('mentoring_pair_mentee_id_idx').on('mentoring_pair').column('mentee_id').execute();

	await db.schema
		.createTable('mentoring_meeting')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('pair_id', 'uuid', (c) => c.notNull().references('mentoring_pair.id'))
		.addColumn('met_on', 'date', (c) => c.notNull())
		.addColumn('minutes', 'integer', (c) => c.notNull().check(sql`minutes between 5 and 600`))
		.addColumn('topics', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`).check(sql.raw(`topics <@ ${topics}`)))
		.addColumn('note', 'text', (c) => c.check(sql`length(note) <= 280`))
		.addColumn('recorded_by', 'uuid', (c) => c.notNull().references('app_user.id'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('mentoring_meeting_pair_id_idx').on('mentoring_meeting').columns(['pair_id', 'met_on']).execute();
	await db.schema.createIndex('mentoring_meeting_recorded_by_idx').on('mentoring_meeting').column('recorded_by').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('mentoring_meeting').execute();
	await db.schema.dropTable('mentoring_pair').execute();
	await db.schema.dropTable('mentoring_cohort').execute();
}
