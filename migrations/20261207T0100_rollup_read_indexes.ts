import { sql, type Kysely } from 'kysely';

// Two reads of the report rollup that every computed district overview makes, each served by its
// own index instead of the primary key (period_kind, period_start, programme_id, school_id):
//   - the rows by programme and their total are the period's rows for all schools together
//     (school_id the all-schools id): under the primary key they were found by reading every row
//     of the period, 4,200 entries for a county's 600 schools, to keep 7;
//   - the reach by phase reads each school's row for all programmes, only to see whether the
//     school was reached: 600 rows from as many pages of the table; the index holds
//     schools_reached, so the rows are read from the index alone (10 pages).
// Measured on the county data set (issue 15): the overview's one statement cost PostgreSQL
// 0.83 ms of CPU, 0.47 ms with these; a register's first save of 802 marks cost the same with
// and without them (medians 69–92 ms against 76 ms, within the runs' spread).

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createIndex('report_rollup_by_school_idx')
		.on('report_rollup')
		.columns(['period_kind', 'period_start', 'school_id', 'programme_id'])
		.execute();
	// Kysely's index builder has no INCLUDE.
	await sql`create index report_rollup_reach_idx on report_rollup (period_kind, period_start, programme_id, school_id) include (schools_reached)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropIndex('report_rollup_reach_idx').execute();
	await db.schema.dropIndex('report_rollup_by_school_idx').execute();
}
