import { sql, type Kysely } from 'kysely';

// Per-station registers of carousel sessions (how many of each school's group came through
// each workstation), and the parents' anonymous before-and-after confidence question at Gang
// Awareness workshops, kept as counts per answer: no parent or child is named.

const yearGroups = `array['R','Y1','Y2','Y3','Y4','Y5','Y6','Y7','Y8','Y9','Y10','Y11','Y12','Y13','parents']::text[]`;

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('station_headcount')
		.addColumn('session_id', 'uuid', (c) => c.notNull().references('programme_session.id'))
		// No cascade: replacing a session's workstations must not quietly throw away what was
		// counted at them (the workstations form refuses once counts exist).
		.addColumn('station_id', 'uuid', (c) => c.notNull().references('station.id'))
		.addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id'))
		.addColumn('year_group', 'text', (c) => c.notNull().check(sql.raw(`year_group = any(${yearGroups})`)))
		.addColumn('count', 'integer', (c) => c.notNull().check(sql`count >= 0`))
		.addColumn('recorded_by', 'uuid', (c) => c.notNull().references('app_user.id'))
		.addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('station_headcount_pkey', ['session_id', 'station_id', 'school_id', 'year_group'])
		.execute();
	await db.schema.createIndex('station_headcount_station_id_idx').on('station_headcount').column('station_id').execute();
	await db.schema.createIndex('station_headcount_school_id_idx').on('station_headcount').column('school_id').execute();
	await db.schema.createIndex('station_headcount_recorded_by_idx').on('station_headcount').column('recorded_by').execute();

	await db.schema
		.createTable('workshop_feedback')
		.addColumn('session_id', 'uuid', (c) => c.notNull().references('programme_session.id'))
		.addColumn('moment', 'text', (c) => c.notNull().check(sql`moment in ('before', 'after')`))
		.addColumn('score', 'integer', (c) => c.notNull().check(sql`score between 1 and 5`))
		.addColumn('count', 'integer', (c) => c.notNull().check(sql`count >= 0`))
		.addColumn('recorded_by', 'uuid', (c) => c.notNull().references('app_user.id'))
		.addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('workshop_feedback_pkey', ['session_id', 'moment', 'score'])
		.execute();
	await db.schema.createIndex('workshop_feedback_recorded_by_idx').on('workshop_feedback').column('recorded_by').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('workshop_feedback').execute();
	await db.schema.dropTable('station_headcount').execute();
}
