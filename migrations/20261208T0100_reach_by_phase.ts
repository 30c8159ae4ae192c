import { sql, type Kysely } from 'kysely';

// Schools reached, by phase, kept on the rollup's all-schools rows (issue 15, item 3). The
// district overview showed them on every request by reading each school's row of the period
// (600 at county scale) and joining every school to find its phase: more than half of the one
// statement the computed overview costs PostgreSQL. Now each all-schools row holds how many
// schools of each phase were reached, worked out with the row's other figures: by the whole
// rebuild, and by a scoped recount for the periods it touched, from the by-school rows it has
// just counted again (what the overview read per request, now read once per change).
//
// The count follows a school's phase as it is now, as the overview's did. A school whose phase
// changes is counted again in every period it was reached in, under its new phase, by the
// recount the change asks for (schools.service.ts; migration 20261209T0100).
//
// The rollup function is changed in place (its text is read from the database, and the count
// added to the step that adds up the other all-schools figures and to the last insert), so the
// whole function is not written out a second time; each edit must match exactly once, or the
// migration stops.

const ALL = '00000000-0000-0000-0000-000000000000';
/** Phases as the school table's check allows them (migration 20261127T1300), each with its column. */
const PHASES = [
	['primary', 'reached_primary'],
	['secondary', 'reached_secondary'],
	['all-through', 'reached_all_through'],
	['special', 'reached_special'],
	['college', 'reached_college']
] as const;
const COLUMNS = PHASES.map(([, column]) => column);

/** The step that works out the all-schools rows' figures that add up over schools (20261205T0300). */
const ADDS_UP_COLUMNS = `named_young_people, station_visits, meetings, meeting_minutes, discovery, explorer, conserver)
	select r.period_kind`;
const ADDS_UP_FROM = `sum(r.discovery), sum(r.explorer), sum(r.conserver)
	from rollup_periods h join report_rollup r on r.period_kind = h.kind and r.period_start = h.start and r.school_id <> '${ALL}'
	group by 1, 2, 3;`;
/** The last insert, of the all-schools rows from what the steps worked out. */
const LAST_INSERT = `\tinsert into report_rollup (period_kind, period_start, programme_id, school_id, sessions_delivered, sessions_cancelled, places_booked,`;

/** `text` with `from` replaced by `to`, where `from` occurs exactly once. */
function replaceOnce(text: string, from: string, to: string): string {
	const at = text.indexOf(from);
	if (at < 0 || text.indexOf(from, at + 1) >= 0)
		throw new Error(`rebuild_report_rollups is not as migration 20261205T0300 left it: expected "${from.trim()}" once`);
	return text.slice(0, at) + to + text.slice(at + from.length);
}

export async function up(db: Kysely<any>): Promise<void> {
	for (const column of COLUMNS)
		await db.schema
			.alterTable('report_rollup')
			.addColumn(column, 'integer', (c) => c.notNull().defaultTo(0))
			.execute();
	const { rows } = await sql<{ definition: string; comment: string | null }>`
		select pg_get_functiondef('rebuild_report_rollups(jsonb)'::regprocedure) as definition,
			obj_description('rebuild_report_rollups(jsonb)'::regprocedure, 'pg_proc') as comment
	`.execute(db);
	const { definition: before, comment } = rows[0]!;
	// Counted where the other all-schools figures are added up, from the by-school rows just
	// counted again: the same rows, read once (a second read cost a county's recount a fifth more).
	let text = replaceOnce(before, ADDS_UP_COLUMNS, ADDS_UP_COLUMNS.replace(')', `,\n\t\t${COLUMNS.join(', ')})`));
	text = replaceOnce(
		text,
		ADDS_UP_FROM,
		ADDS_UP_FROM.replace(
			'\n\tfrom',
			`,\n\t\t${PHASES.map(([phase]) => `count(*) filter (where r.schools_reached > 0 and sc.phase = '${phase}')`).join(', ')}\n\tfrom`
		).replace('\n\tgroup', '\n\tjoin school sc on sc.id = r.school_id\n\tgroup')
	);
	// And kept by the last insert, which adds up what each step worked out.
	const at = text.lastIndexOf(LAST_INSERT);
	let last = text.slice(at);
	last = replaceOnce(last, 'discovery, explorer, conserver)\n\tselect', `discovery, explorer, conserver,\n\t\t${COLUMNS.join(', ')})\n\tselect`);
	last = replaceOnce(
		last,
		'sum(discovery), sum(explorer), sum(conserver)\n\tfrom rollup_part',
		`sum(discovery), sum(explorer), sum(conserver),\n\t\t${COLUMNS.map((c) => `sum(${c})`).join(', ')}\n\tfrom rollup_part`
	);
	await sql.raw(text.slice(0, at) + last).execute(db);
	// What down puts back: this function as it was, and its comment (20261205T0300's down reads that).
	await sql`comment on function rebuild_report_rollups(jsonb) is ${sql.lit(JSON.stringify({ definition: before, comment }))}`.execute(db);
	await sql`select rebuild_report_rollups()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	const { rows } = await sql<{ comment: string }>`select obj_description('rebuild_report_rollups(jsonb)'::regprocedure, 'pg_proc') as comment`.execute(db);
	const before = JSON.parse(rows[0]!.comment) as { definition: string; comment: string | null };
	await sql.raw(before.definition).execute(db);
	await sql`comment on function rebuild_report_rollups(jsonb) is ${sql.lit(before.comment)}`.execute(db);
	for (const column of COLUMNS) await db.schema.alterTable('report_rollup').dropColumn(column).execute();
}
