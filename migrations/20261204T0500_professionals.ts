import { sql, type Kysely } from 'kysely';

// Frontline professionals as an audience beside young people and parents and carers (issue 14,
// item 8: the plan's Prevent awareness training, 87 professionals in 2018-19).
//
// - 'professionals' joins the year groups a programme, session, booking or headcount may name,
//   as 'parents' did: a school books places for its staff and the register takes a headcount.
// - The report figures count professionals apart: a new rollup column, and the rebuild puts a
//   headcount of professionals there, never among the young people. They count as attended
//   (as parents do) but do not make a school "reached": that figure is about young people and
//   their families.
//
// The rebuild function is rewritten in place, as 20261203T1000 did, each change checked to
// match exactly once so a function that has moved on fails here instead of half-changing.

const before = `array['R','Y1','Y2','Y3','Y4','Y5','Y6','Y7','Y8','Y9','Y10','Y11','Y12','Y13','parents']::text[]`;
const after = `array['R','Y1','Y2','Y3','Y4','Y5','Y6','Y7','Y8','Y9','Y10','Y11','Y12','Y13','parents','professionals']::text[]`;

const checks: { table: string; name: string; condition: (list: string) => string }[] = [
	{ table: 'programme', name: 'programme_year_groups_check', condition: (l) => `cardinality(year_groups) > 0 and year_groups <@ ${l}` },
	{ table: 'programme_session', name: 'programme_session_year_groups_check', condition: (l) => `cardinality(year_groups) > 0 and year_groups <@ ${l}` },
	{ table: 'booking', name: 'booking_year_group_check', condition: (l) => `year_group = any(${l})` },
	{ table: 'station_headcount', name: 'station_headcount_year_group_check', condition: (l) => `year_group = any(${l})` },
	{ table: 'attendance_headcount', name: 'attendance_headcount_year_group_check', condition: (l) => `year_group = any(${l})` }
];

/** Each [without professionals, with professionals] piece of the rebuild function's body. */
const rebuildChanges: [string, string][] = [
	['0 as young, 0 as parents, 0 as named, 0 as marks', '0 as young, 0 as parents, 0 as professionals, 0 as named, 0 as marks'],
	["case when h.year_group = 'parents' then 0 else h.count end", "case when h.year_group in ('parents', 'professionals') then 0 else h.count end"],
	[
		"case when h.year_group = 'parents' then h.count else 0 end, 0, 0",
		"case when h.year_group = 'parents' then h.count else 0 end, case when h.year_group = 'professionals' then h.count else 0 end, 0, 0"
	],
	['select m.session_id, yp.school_id, 0, 0, 0, count(*)', 'select m.session_id, yp.school_id, 0, 0, 0, 0, count(*)'],
	['sum(parents)::int as parents, sum(named)', 'sum(parents)::int as parents, sum(professionals)::int as professionals, sum(named)'],
	['headcount_young_people, parents, schools_reached)', 'headcount_young_people, parents, professionals, schools_reached)'],
	[
		'coalesce(sum(ss.named + ss.young + ss.parents) filter (where ss.delivered), 0),',
		'coalesce(sum(ss.named + ss.young + ss.parents + ss.professionals) filter (where ss.delivered), 0),'
	],
	[
		'coalesce(sum(ss.parents) filter (where ss.delivered), 0),',
		'coalesce(sum(ss.parents) filter (where ss.delivered), 0), coalesce(sum(ss.professionals) filter (where ss.delivered), 0),'
	],
	// The new column is the table's last, so the final copy adds it last.
	['sum(conserver)', 'sum(conserver), sum(professionals)']
];

async function rewriteRebuild(db: Kysely<any>, changes: [string, string][]): Promise<void> {
	const { rows } = await sql<{ definition: string }>`select pg_get_functiondef('rebuild_report_rollups'::regproc) as definition`.execute(db);
	let definition = rows[0]!.definition;
	for (const [from, to] of changes) {
		const found = definition.split(from).length - 1;
		if (found !== 1) throw new Error(`rebuild_report_rollups: expected "${from}" once, found ${found} times`);
		definition = definition.replace(from, () => to);
	}
	await sql.raw(definition).execute(db);
}

async function replaceChecks(db: Kysely<any>, list: string): Promise<void> {
	for (const { table, name, condition } of checks) {
		await sql`alter table ${sql.table(table)} drop constraint ${sql.ref(name)}`.execute(db);
		await db.schema
			.alterTable(table)
			.addCheckConstraint(name, sql.raw(condition(list)))
			.execute();
	}
}

export async function up(db: Kysely<any>): Promise<void> {
	await replaceChecks(db, after);
	await db.schema
		.alterTable('report_rollup')
		.addColumn('professionals', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();
	await rewriteRebuild(db, rebuildChanges);
	await sql`select rebuild_report_rollups()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await rewriteRebuild(
		db,
		[...rebuildChanges].reverse().map(([without, withProfessionals]) => [withProfessionals, without])
	);
	await db.schema.alterTable('report_rollup').dropColumn('professionals').execute();
	for (const table of ['booking', 'station_headcount', 'attendance_headcount']) {
		await sql`delete from ${sql.table(table)} where year_group = 'professionals'`.execute(db);
	}
	await replaceChecks(db, before);
}
