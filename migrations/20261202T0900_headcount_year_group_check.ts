import { sql, type Kysely } from 'kysely';

// A headcount's year group was the one year-group column without a CHECK (bookings and station
// headcounts have one): the schema types test found it. Every value the app writes is already
// in the list, so existing rows pass.

const yearGroups = `array['R','Y1','Y2','Y3','Y4','Y5','Y6','Y7','Y8','Y9','Y10','Y11','Y12','Y13','parents']::text[]`;

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.alterTable('attendance_headcount')
		.addCheckConstraint('attendance_headcount_year_group_check', sql.raw(`year_group = any(${yearGroups})`))
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('attendance_headcount').dropConstraint('attendance_headcount_year_group_check').execute();
}
