import { sql, type Kysely } from 'kysely';

// A school given another phase moves in the reach by phase (migration 20261208T0100) of every
// period it was reached in. The scoped recount (20261205T0300) now takes such schools in its
// scope (`rephased`, their ids) and resolves them where it resolves the rest of a scope: to the
// school on the first day of each period the rollup counts it as reached in. That read is made
// under the lock every recount and rebuild takes, so no count in between can put the school back
// under its old phase.
//
// The function is changed in place, as 20261208T0100 did: its text is read from the database
// and the one line that reads the scope's schools is given a second line; the edit must match
// exactly once, or the migration stops.

const ALL = '00000000-0000-0000-0000-000000000000';

/** The last part of the scope's resolution (20261205T0300): schools on a day. */
const SCHOOLS = `union select x.day, x.id from jsonb_to_recordset(coalesce(scope->'schools', '[]')) as x(id uuid, day date);`;
const SCHOOLS_AND_REPHASED = `union select x.day, x.id from jsonb_to_recordset(coalesce(scope->'schools', '[]')) as x(id uuid, day date)
		union select r.period_start, r.school_id from report_rollup r
			where r.school_id in (select x.id::uuid from jsonb_array_elements_text(coalesce(scope->'rephased', '[]')) as x(id))
			and r.programme_id = '${ALL}' and r.schools_reached > 0;`;

export async function up(db: Kysely<any>): Promise<void> {
	const { rows } = await sql<{ definition: string; comment: string | null }>`
		select pg_get_functiondef('rebuild_report_rollups(jsonb)'::regprocedure) as definition,
			obj_description('rebuild_report_rollups(jsonb)'::regprocedure, 'pg_proc') as comment
	`.execute(db);
	const { definition: before, comment } = rows[0]!;
	const at = before.indexOf(SCHOOLS);
	if (at < 0 || before.indexOf(SCHOOLS, at + 1) >= 0)
		throw new Error(`rebuild_report_rollups is not as migration 20261205T0300 left it: expected "${SCHOOLS}" once`);
	await sql.raw(before.slice(0, at) + SCHOOLS_AND_REPHASED + before.slice(at + SCHOOLS.length)).execute(db);
	// What down puts back: this function as it was, and its comment (20261208T0100's down reads that).
	await sql`comment on function rebuild_report_rollups(jsonb) is ${sql.lit(JSON.stringify({ definition: before, comment }))}`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	const { rows } = await sql<{ comment: string }>`select obj_description('rebuild_report_rollups(jsonb)'::regprocedure, 'pg_proc') as comment`.execute(db);
	const before = JSON.parse(rows[0]!.comment) as { definition: string; comment: string | null };
	await sql.raw(before.definition).execute(db);
	await sql`comment on function rebuild_report_rollups(jsonb) is ${sql.lit(before.comment)}`.execute(db);
}
