import { sql, type Kysely } from 'kysely';

// Registers on the day (issue 12).
//
// - The reasons people use: present, late, left early, and absent authorised / unauthorised /
//   unknown. "Excused" becomes absent (authorised) and "unexcused" absent (unauthorised).
// - What counts as attended is decided once, by counts_as_attended(status): present, late
//   and left early. Every statement that counts attendance calls it; the rollup rebuild is
//   rewritten here to call it instead of its own list.
// - Each mark has a version, raised by one at every change, so a save based on an older
//   version is shown back as a conflict instead of overwriting someone else's change.
// - What a programme calls each status is data, as its award level names are.

const statuses = `('present', 'late', 'left_early', 'absent_authorised', 'absent_unauthorised', 'absent_unknown')`;
const oldStatuses = `('present', 'late', 'excused', 'unexcused')`;

const listed = /([a-z_]+\.status) in \('present', 'late'\)/g;
const called = /counts_as_attended\(([a-z_]+\.status)\)/g;

/** Rewrites every function of the schema whose body matches, e.g. the rollup rebuild's own list of attended statuses. */
async function rewriteFunctions(db: Kysely<any>, pattern: RegExp, to: (column: string) => string): Promise<void> {
	const { rows } = await sql<{ definition: string }>`
		select pg_get_functiondef(p.oid) as definition
		from pg_proc p join pg_namespace n on n.oid = p.pronamespace
		where n.nspname = current_schema() and p.prokind = 'f' and p.prosrc ~ ${pattern.source}
	`.execute(db);
	for (const { definition } of rows) {
		await sql.raw(definition.replace(pattern, (_, column: string) => to(column))).execute(db);
	}
}

export async function up(db: Kysely<any>): Promise<void> {
	await sql`alter table attendance_mark drop constraint attendance_mark_status_check`.execute(db);
	await sql`
		update attendance_mark set status = case status when 'excused' then 'absent_authorised' when 'unexcused' then 'absent_unauthorised' else status end
		where status in ('excused', 'unexcused')
	`.execute(db);
	await db.schema
		.alterTable('attendance_mark')
		.addCheckConstraint('attendance_mark_status_check', sql.raw(`status in ${statuses}`))
		.execute();
	await db.schema
		.alterTable('attendance_mark')
		.addColumn('version', 'integer', (c) =>
			c
				.notNull()
				.defaultTo(1)
				.check(sql`version >= 1`)
		)
		.execute();

	await sql
		.raw(
			`create function counts_as_attended(status text) returns boolean language sql immutable parallel safe
			return status in ('present', 'late', 'left_early')`
		)
		.execute(db);
	await rewriteFunctions(db, listed, (column) => `counts_as_attended(${column})`);

	await db.schema
		.createTable('attendance_status_label')
		.addColumn('programme_id', 'uuid', (c) => c.notNull().references('programme.id').onDelete('cascade'))
		.addColumn('status', 'text', (c) => c.notNull().check(sql.raw(`status in ${statuses}`)))
		.addColumn('label', 'text', (c) => c.notNull().check(sql`length(trim(label)) between 1 and 50`))
		.addPrimaryKeyConstraint('attendance_status_label_pkey', ['programme_id', 'status'])
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('attendance_status_label').execute();
	await rewriteFunctions(db, called, (column) => `${column} in ('present', 'late')`);
	await sql`drop function counts_as_attended(text)`.execute(db);
	await db.schema.alterTable('attendance_mark').dropColumn('version').execute();
	await sql`alter table attendance_mark drop constraint attendance_mark_status_check`.execute(db);
	await sql`
		update attendance_mark set status = case status when 'absent_authorised' then 'excused' when 'left_early' then 'present' when 'late' then 'late'
			when 'present' then 'present' else 'unexcused' end
	`.execute(db);
	await db.schema
		.alterTable('attendance_mark')
		.addCheckConstraint('attendance_mark_status_check', sql.raw(`status in ${oldStatuses}`))
		.execute();
}
