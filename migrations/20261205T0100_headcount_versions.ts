import { sql, type Kysely } from 'kysely';

// Headcounts and workstation counts kept on a tablet for a day without signal are sent later,
// each with the version of the count it was based on, as named marks are: a count someone else
// changed since the device downloaded it is shown back as a conflict instead of overwritten.
// The version is raised by one at every change. Their client-made ids are kept, with a hash,
// in attendance_client_change beside the marks'.

export async function up(db: Kysely<any>): Promise<void> {
	for (const table of ['attendance_headcount', 'station_headcount']) {
		await db.schema
			.alterTable(table)
			.addColumn('version', 'integer', (c) =>
				c
					.notNull()
					.defaultTo(1)
					.check(sql`version >= 1`)
			)
			.execute();
	}
}

export async function down(db: Kysely<any>): Promise<void> {
	for (const table of ['attendance_headcount', 'station_headcount']) await db.schema.alterTable(table).dropColumn('version').execute();
}
