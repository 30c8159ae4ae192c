import { sql, type CompiledQuery, type RawBuilder } from 'kysely';
import type { Db } from '../db';
import { PREPARED } from '../db/prepared';
import { outcomeRowsStatement, type OutcomeRow } from '../outcomes/outcomes.queries';
import { schoolPhases, type AwardLevelCode, type DB, type PartnershipPriority, type ProgrammeShape, type SchoolPhase, type SchoolTown } from '../db/schema';
import { addDays, fromLondon } from '../time';
import type { PeriodKind } from './periods';

// The figures every report view is made of, counted from the records, grouped by one key:
// each school, each programme, each financial quarter, or the whole selection.
//
// What is counted (the definitions the report pages print beside the figures):
// - A session is delivered when it is not cancelled and has started; only delivered
//   sessions count towards places and attendance. Cancelled sessions are counted apart.
// - Places booked: places confirmed to schools at delivered sessions.
// - Attended: named marks counted as attended (counts_as_attended(): present, late, left early), plus headcounts (parents and carers,
//   and frontline professionals, included).
// - Attendance rate: attended out of expected, where expected is, per session and school,
//   the named marks recorded if the session has a named register for that school, or else
//   the places booked.
// - Young people reached: different named young people marked as attended (each once,
//   however many sessions they came to), plus headcounts of pupils, which can't be told
//   apart and are added as given. Parents and carers, and frontline professionals, are counted
//   apart, never among the young people.
// - Schools reached: schools with young people, parents or carers attending a delivered session
//   (its staff at training for professionals do not make a school reached).
// - Workstation visits: carousel stations' counts of who came through, at delivered sessions.
// - Mentoring meetings and hours: meetings held in the period, by the mentee's school; mentors
//   and mentees are those who met in the period.
// - Awards: awards signed off with their date achieved in the period, by level.

export type ReportKey = 'school' | 'programme' | 'quarter' | 'total';

export interface ReportFilter {
	/** Inclusive UK dates. */
	from: string;
	to: string;
	/** A standard period (from and to are its first and last days) is read from the rollup. */
	periodKind?: PeriodKind;
	programmeIds?: readonly string[];
	schoolIds?: readonly string[];
	phase?: SchoolPhase;
	town?: SchoolTown;
}

export interface Figures {
	/** A school id, a programme id, the first day of a quarter, or 'total'. */
	key: string;
	sessionsDelivered: number;
	sessionsCancelled: number;
	placesBooked: number;
	attended: number;
	expected: number;
	namedYoungPeople: number;
	headcountYoungPeople: number;
	parents: number;
	/** Frontline professionals counted at headcount sessions: never young people. */
	professionals: number;
	schoolsReached: number;
	meetings: number;
	meetingMinutes: number;
	/** Carousel workstation visits: each station's count of the pupils who came through it. */
	stationVisits: number;
	/** Different mentors and mentees who met in the period. */
	mentors: number;
	mentees: number;
	awards: Record<AwardLevelCode, number>;
}

export function emptyFigures(key: string): Figures {
	return {
		key,
		sessionsDelivered: 0,
		sessionsCancelled: 0,
		placesBooked: 0,
		attended: 0,
		expected: 0,
		namedYoungPeople: 0,
		headcountYoungPeople: 0,
		parents: 0,
		professionals: 0,
		schoolsReached: 0,
		stationVisits: 0,
		meetings: 0,
		meetingMinutes: 0,
		mentors: 0,
		mentees: 0,
		awards: { discovery: 0, explorer: 0, conserver: 0 }
	};
}

/** The key's SQL for a row with these columns. */
function keyOf(key: ReportKey, columns: { school: string; programme: string; date: string }): RawBuilder<string> {
	switch (key) {
		case 'school':
			return sql<string>`${sql.ref(columns.school)}::text`;
		case 'programme':
			return sql<string>`${sql.ref(columns.programme)}::text`;
		case 'quarter':
			return sql<string>`to_char(date_trunc('quarter', ${sql.raw(columns.date)}), 'YYYY-MM-DD')`;
		case 'total':
			return sql<string>`'total'`;
	}
}

function range(filter: ReportFilter) {
	return { start: fromLondon(filter.from), end: fromLondon(addDays(filter.to, 1)) };
}

function programmeCondition(column: string, filter: ReportFilter): RawBuilder<boolean> {
	return filter.programmeIds ? sql<boolean>`${sql.ref(column)} = any(${[...filter.programmeIds]}::uuid[])` : sql<boolean>`true`;
}

function hasSchoolFilter(filter: ReportFilter): boolean {
	return Boolean(filter.schoolIds || filter.phase || filter.town);
}

function schoolCondition(column: string, filter: ReportFilter): RawBuilder<boolean> {
	if (!hasSchoolFilter(filter)) return sql<boolean>`true`;
	const conditions: RawBuilder<boolean>[] = [];
	if (filter.schoolIds) conditions.push(sql`f.id = any(${[...filter.schoolIds]}::uuid[])`);
	if (filter.phase) conditions.push(sql`f.phase = ${filter.phase}`);
	if (filter.town) conditions.push(sql`f.town = ${filter.town}`);
	return sql<boolean>`exists (select 1 from school f where f.id = ${sql.ref(column)} and ${sql.join(conditions, sql` and `)})`;
}

/** The sessions in the period, and per session and school what was booked and who came. */
function sessionSchoolRows(filter: ReportFilter) {
	const { start, end } = range(filter);
	return sql`
		s as (
			select ps.id, ps.programme_id, ps.status, (ps.starts_at at time zone 'Europe/London') as local_start,
				ps.status <> 'cancelled' and ps.starts_at <= now() as delivered
			from programme_session ps
			where ps.starts_at >= ${start} and ps.starts_at < ${end} and ${programmeCondition('ps.programme_id', filter)}
		),
		parts as (
			select b.session_id, b.school_id, b.confirmed_places as places, 0 as young, 0 as parents, 0 as professionals, 0 as named, 0 as marks
			from booking b join s on s.id = b.session_id
			where b.status <> 'cancelled' and b.confirmed_places > 0
			union all
			select h.session_id, h.school_id, 0, case when h.year_group in ('parents', 'professionals') then 0 else h.count end,
				case when h.year_group = 'parents' then h.count else 0 end, case when h.year_group = 'professionals' then h.count else 0 end, 0, 0
			from attendance_headcount h join s on s.id = h.session_id
			union all
			select m.session_id, yp.school_id, 0, 0, 0, 0, (count(*) filter (where counts_as_attended(m.status)))::int, count(*)::int
			from attendance_mark m join s on s.id = m.session_id join young_person yp on yp.id = m.young_person_id
			group by m.session_id, yp.school_id
		),
		ss as (
			select parts.session_id, parts.school_id, s.programme_id, s.local_start, s.delivered, s.status,
				sum(places)::int as places, sum(young)::int as young, sum(parents)::int as parents,
				sum(professionals)::int as professionals, sum(named)::int as named, sum(marks)::int as marks
			from parts join s on s.id = parts.session_id
			where ${schoolCondition('parts.school_id', filter)}
			group by parts.session_id, parts.school_id, s.programme_id, s.local_start, s.delivered, s.status
		)`;
}

type Row = Record<string, unknown> & { key: string };

export async function attendanceFigures(db: Db, filter: ReportFilter, key: ReportKey): Promise<Row[]> {
	const k = keyOf(key, { school: 'ss.school_id', programme: 'ss.programme_id', date: 'ss.local_start' });
	const { rows } = await sql<Row>`
		with ${sessionSchoolRows(filter)}
		select ${k} as key,
			coalesce(sum(ss.places) filter (where ss.delivered), 0)::int as places_booked,
			coalesce(sum(ss.named + ss.young + ss.parents + ss.professionals) filter (where ss.delivered), 0)::int as attended,
			coalesce(sum(case when ss.marks > 0 then ss.marks else ss.places end) filter (where ss.delivered), 0)::int as expected,
			coalesce(sum(ss.young) filter (where ss.delivered), 0)::int as headcount_young_people,
			coalesce(sum(ss.parents) filter (where ss.delivered), 0)::int as parents,
			coalesce(sum(ss.professionals) filter (where ss.delivered), 0)::int as professionals,
			count(distinct ss.school_id) filter (where ss.delivered and ss.named + ss.young + ss.parents > 0)::int as schools_reached,
			count(distinct ss.session_id) filter (where ss.delivered)::int as school_sessions_delivered,
			count(distinct ss.session_id) filter (where ss.status = 'cancelled')::int as school_sessions_cancelled
		from ss
		group by 1
	`.execute(db);
	return rows;
}

/** Sessions delivered and cancelled. With a school filter, or by school, only sessions those schools booked or attended. */
export async function sessionFigures(db: Db, filter: ReportFilter, key: ReportKey): Promise<Row[]> {
	if (key === 'school' || hasSchoolFilter(filter)) {
		return (await attendanceFigures(db, filter, key)).map((r) => ({
			key: r.key,
			delivered: r.school_sessions_delivered,
			cancelled: r.school_sessions_cancelled
		}));
	}
	const { start, end } = range(filter);
	const k = keyOf(key, { school: 'ps.id', programme: 'ps.programme_id', date: "(ps.starts_at at time zone 'Europe/London')" });
	const { rows } = await sql<Row>`
		select ${k} as key,
			count(*) filter (where ps.status <> 'cancelled' and ps.starts_at <= now())::int as delivered,
			count(*) filter (where ps.status = 'cancelled')::int as cancelled
		from programme_session ps
		where ps.starts_at >= ${start} and ps.starts_at < ${end} and ${programmeCondition('ps.programme_id', filter)}
		group by 1
	`.execute(db);
	return rows;
}

/** Different named young people who came (counted as attended: present, late or left early), each once. */
export async function reachFigures(db: Db, filter: ReportFilter, key: ReportKey): Promise<Row[]> {
	const { start, end } = range(filter);
	const k = keyOf(key, { school: 'yp.school_id', programme: 'ps.programme_id', date: "(ps.starts_at at time zone 'Europe/London')" });
	const { rows } = await sql<Row>`
		select ${k} as key, count(distinct m.young_person_id)::int as young_people
		from attendance_mark m
		join programme_session ps on ps.id = m.session_id
		join young_person yp on yp.id = m.young_person_id
		where counts_as_attended(m.status) and ps.starts_at >= ${start} and ps.starts_at < ${end}
			and ${programmeCondition('ps.programme_id', filter)} and ${schoolCondition('yp.school_id', filter)}
		group by 1
	`.execute(db);
	return rows;
}

export async function stationFigures(db: Db, filter: ReportFilter, key: ReportKey): Promise<Row[]> {
	const { start, end } = range(filter);
	const k = keyOf(key, { school: 'sh.school_id', programme: 'ps.programme_id', date: "(ps.starts_at at time zone 'Europe/London')" });
	const { rows } = await sql<Row>`
		select ${k} as key, coalesce(sum(sh.count), 0)::int as visits
		from station_headcount sh
		join programme_session ps on ps.id = sh.session_id
		where ps.starts_at >= ${start} and ps.starts_at < ${end} and ps.status <> 'cancelled' and ps.starts_at <= now()
			and ${programmeCondition('ps.programme_id', filter)} and ${schoolCondition('sh.school_id', filter)}
		group by 1
	`.execute(db);
	return rows;
}

export async function mentoringFigures(db: Db, filter: ReportFilter, key: ReportKey): Promise<Row[]> {
	const k = keyOf(key, { school: 'yp.school_id', programme: 'c.programme_id', date: 'mm.met_on' });
	const { rows } = await sql<Row>`
		select ${k} as key, count(*)::int as meetings, coalesce(sum(mm.minutes), 0)::int as minutes,
			count(distinct p.mentor_id)::int as mentors, count(distinct p.mentee_id)::int as mentees
		from mentoring_meeting mm
		join mentoring_pair p on p.id = mm.pair_id
		join mentoring_cohort c on c.id = p.cohort_id
		join young_person yp on yp.id = p.mentee_id
		where mm.met_on >= ${filter.from}::date and mm.met_on <= ${filter.to}::date
			and ${programmeCondition('c.programme_id', filter)} and ${schoolCondition('yp.school_id', filter)}
		group by 1
	`.execute(db);
	return rows;
}

export async function awardFigures(db: Db, filter: ReportFilter, key: ReportKey): Promise<Row[]> {
	const k = keyOf(key, { school: 'yp.school_id', programme: 'g.programme_id', date: 'ap.achieved_on' });
	const { rows } = await sql<Row>`
		select ${k} as key, ap.level, count(*)::int as awards
		from award_participant ap
		join award_group g on g.id = ap.award_group_id
		join young_person yp on yp.id = ap.young_person_id
		where ap.achieved_on >= ${filter.from}::date and ap.achieved_on <= ${filter.to}::date
			and ${programmeCondition('g.programme_id', filter)} and ${schoolCondition('yp.school_id', filter)}
		group by 1, 2
	`.execute(db);
	return rows;
}

/**
 * Every figure for the selection, one entry per key that has anything: from the rollup for a
 * standard period, otherwise counted from the records.
 */
export async function reportFigures(db: Db, filter: ReportFilter, key: ReportKey): Promise<Map<string, Figures>> {
	const fromRollup = await rollupFigures(db, filter, key);
	return fromRollup ?? countFigures(db, filter, key);
}

/**
 * A report's rows by `key` and its total. Read in one statement where the rollup holds both
 * (a standard period, by programme or by school, with no programme or school chosen: the total
 * is the rollup's row for every programme and school), else as two.
 */
export async function reportFiguresAndTotal(
	db: Db,
	filter: ReportFilter,
	key: 'programme' | 'school'
): Promise<{ rows: Map<string, Figures>; total: Figures }> {
	if (rollupHoldsWhole(filter)) return totalApart((await rollupFigures(db, filter, key, true))!);
	const [rows, total] = await Promise.all([reportFigures(db, filter, key), reportFigures(db, filter, 'total')]);
	return { rows, total: total.get('total') ?? emptyFigures('total') };
}

/** Whether the rollup holds a selection's rows and their total: a standard period, with no programme or school chosen. */
function rollupHoldsWhole(filter: ReportFilter): filter is ReportFilter & { periodKind: Exclude<PeriodKind, 'dates'> } {
	return !!filter.periodKind && filter.periodKind !== 'dates' && !filter.programmeIds && !hasSchoolFilter(filter);
}

/** The rows read with their total (the rollup's row for every programme and school, keyed 'total'), the total taken out. */
function totalApart(figures: Map<string, Figures>): { rows: Map<string, Figures>; total: Figures } {
	const total = figures.get('total') ?? emptyFigures('total');
	figures.delete('total');
	return { rows: figures, total };
}

/** Every figure counted from the records themselves: the rollup's reference, and the answer for any range of dates. */
export async function countFigures(db: Db, filter: ReportFilter, key: ReportKey): Promise<Map<string, Figures>> {
	const bySchool = key === 'school' || hasSchoolFilter(filter);
	const [attendance, sessions, reach, mentoring, awards, stations] = await Promise.all([
		attendanceFigures(db, filter, key),
		bySchool ? Promise.resolve([]) : sessionFigures(db, filter, key),
		reachFigures(db, filter, key),
		mentoringFigures(db, filter, key),
		awardFigures(db, filter, key),
		stationFigures(db, filter, key)
	]);
	const figures = new Map<string, Figures>();
	const at = (k: string) => figures.get(k) ?? figures.set(k, emptyFigures(k)).get(k)!;
	for (const r of attendance) {
		const f = at(r.key);
		f.placesBooked = Number(r.places_booked);
		f.attended = Number(r.attended);
		f.expected = Number(r.expected);
		f.headcountYoungPeople = Number(r.headcount_young_people);
		f.parents = Number(r.parents);
		f.professionals = Number(r.professionals);
		f.schoolsReached = Number(r.schools_reached);
	}
	const sessionRowsOf = bySchool
		? attendance.map((r) => ({ key: r.key, delivered: r.school_sessions_delivered, cancelled: r.school_sessions_cancelled }))
		: sessions;
	for (const r of sessionRowsOf) {
		const f = at(r.key);
		f.sessionsDelivered = Number(r.delivered);
		f.sessionsCancelled = Number(r.cancelled);
	}
	for (const r of reach) at(r.key).namedYoungPeople = Number(r.young_people);
	for (const r of mentoring) {
		const f = at(r.key);
		f.meetings = Number(r.meetings);
		f.meetingMinutes = Number(r.minutes);
		f.mentors = Number(r.mentors);
		f.mentees = Number(r.mentees);
	}
	for (const r of awards) at(r.key).awards[r.level as AwardLevelCode] += Number(r.awards);
	for (const r of stations) at(r.key).stationVisits = Number(r.visits);
	return figures;
}

/** Active schools in the district by phase, for the share reached. */
/**
 * What a report's filter offers: every programme and every active school, in the order the
 * choices list them, with only the columns a report uses. One round trip, the rows as JSON: a
 * county's 600 schools read as rows (with their dates) cost more of a computed report's time
 * than its figures did. Without `withSchools`, the programmes only (`schools` is null): the
 * schools are still about 70 KB to send and parse, and a page that names none of them (the
 * overview without a phase or town chosen) does without.
 */
export async function listReportOptions(
	db: Db,
	withSchools = true
): Promise<{ programmes: ReportOptionProgramme[]; schools: ReportOptionSchool[] | null; schoolsByPhase: PhaseCount[] }> {
	const schools = withSchools
		? sql`(select json_agg(json_build_object('id', s.id, 'name', s.name, 'phase', s.phase, 'town', s.town) order by s.name, s.id)
				from school s where s.active)`
		: sql`null::json`;
	const { rows } = await sql<{
		programmes: ReportOptionProgramme[] | null;
		schools: ReportOptionSchool[] | null;
		schools_by_phase: PhaseCount[] | null;
	}>`${PREPARED}
		select
			(select json_agg(json_build_object('id', p.id, 'name', p.name, 'shape', p.shape, 'partnership_priority', p.partnership_priority, 'pcc_tags', p.pcc_tags) order by p.name)
				from programme p) as programmes,
			${schools} as schools,
			(select json_agg(c) from (select phase, count(*)::int as schools from school where active group by phase) c) as schools_by_phase
	`.execute(db);
	return {
		programmes: rows[0]?.programmes ?? [],
		schools: withSchools ? (rows[0]?.schools ?? []) : null,
		schoolsByPhase: inPhaseOrder(rows[0]?.schools_by_phase ?? [])
	};
}

/** How many active schools there are of a phase. */
export interface PhaseCount {
	phase: SchoolPhase;
	schools: number;
}

/** Rows by phase in the order phases are listed (primary first), whatever order they were read in. */
function inPhaseOrder<T extends { phase: SchoolPhase }>(rows: T[]): T[] {
	return rows.sort((a, b) => schoolPhases.indexOf(a.phase) - schoolPhases.indexOf(b.phase));
}

export interface ReportOptionProgramme {
	id: string;
	name: string;
	shape: ProgrammeShape;
	partnership_priority: PartnershipPriority;
	pcc_tags: string[];
}

export interface ReportOptionSchool {
	id: string;
	name: string;
	phase: SchoolPhase;
	town: SchoolTown;
}

export async function schoolsByPhase(db: Db, filter: Pick<ReportFilter, 'town' | 'phase' | 'schoolIds'>): Promise<{ phase: SchoolPhase; schools: number }[]> {
	let query = db.selectFrom('school').where('active', '=', true);
	if (filter.town) query = query.where('town', '=', filter.town);
	if (filter.phase) query = query.where('phase', '=', filter.phase);
	if (filter.schoolIds) query = query.where('id', 'in', [...filter.schoolIds]);
	const rows = await query
		.select(['phase', (eb) => eb.fn.countAll<number>().as('n')])
		.groupBy('phase')
		.execute();
	return rows.map((r) => ({ phase: r.phase, schools: Number(r.n) }));
}

/** The schools reached, by phase (a school counts once however many programmes it took part in). */
export async function schoolsReachedByPhase(db: Db, filter: ReportFilter): Promise<{ phase: SchoolPhase; reached: number }[]> {
	const kind = filter.periodKind;
	if (kind && kind !== 'dates' && (filter.programmeIds?.length ?? 1) === 1) {
		// From the rollup: a school's row for the programme (or every programme) says whether it was reached.
		const rows = await db
			.selectFrom('report_rollup as r')
			.innerJoin('school as sc', 'sc.id', 'r.school_id')
			.select(['sc.phase', (eb) => eb.fn.countAll<number>().as('reached')])
			.where('r.period_kind', '=', kind)
			.where('r.period_start', '=', filter.from)
			.where('r.programme_id', '=', filter.programmeIds?.[0] ?? ALL)
			.where('r.school_id', '<>', ALL)
			.where('r.schools_reached', '>', 0)
			.where(schoolCondition('r.school_id', filter))
			.groupBy('sc.phase')
			.execute();
		return rows.map((r) => ({ phase: r.phase, reached: Number(r.reached) }));
	}
	return countSchoolsReachedByPhase(db, filter);
}

/**
 * For each phase with active schools in the filter: how many there are and how many were
 * reached. From the rollup in one statement where it holds the period (the school's row for the
 * programme, or every programme, says whether it was reached), else as `schoolsByPhase` and
 * `schoolsReachedByPhase` count them.
 */
export async function reachByPhase(db: Db, filter: ReportFilter): Promise<{ phase: SchoolPhase; schools: number; reached: number }[]> {
	const kind = filter.periodKind;
	if (!kind || kind === 'dates' || (filter.programmeIds?.length ?? 1) !== 1) {
		const [schools, reached] = await Promise.all([schoolsByPhase(db, filter), schoolsReachedByPhase(db, filter)]);
		return inPhaseOrder(schools.map((s) => ({ ...s, reached: reached.find((r) => r.phase === s.phase)?.reached ?? 0 })));
	}
	const { rows } = await sql<{ phase: SchoolPhase; schools: number; reached: number }>`${PREPARED} ${reachFromRollup(filter, kind)}`.execute(db);
	return inPhaseOrder(rows.map((r) => ({ phase: r.phase, schools: Number(r.schools), reached: Number(r.reached) })));
}

/** The all-schools rows' count of schools reached, for each phase (migration 20261208T0100). */
const REACHED_COLUMN: Record<SchoolPhase, keyof DB['report_rollup']> = {
	primary: 'reached_primary',
	secondary: 'reached_secondary',
	'all-through': 'reached_all_through',
	special: 'reached_special',
	college: 'reached_college'
};

/** The schools reached of each phase, as one JSON object by phase: the period's all-schools row for the programme (or every programme). */
function reachedByPhase(from: string, kind: Exclude<PeriodKind, 'dates'>, programmeId: string) {
	const byPhase = sql.join(schoolPhases.map((phase) => sql`${sql.lit(phase)}, r.${sql.ref(REACHED_COLUMN[phase])}`));
	return sql<Record<SchoolPhase, number>>`
		select json_build_object(${byPhase}) from report_rollup r
		where r.period_kind = ${kind} and r.period_start = ${from} and r.programme_id = ${programmeId} and r.school_id = ${ALL}
	`;
}

/**
 * `reachByPhase`'s statement where the rollup holds the period. For the whole district, the
 * period's all-schools row says how many schools of each phase were reached: one row read by its
 * key, beside the active schools counted by phase. With schools chosen, each chosen school's row
 * says whether it was reached.
 */
function reachFromRollup(filter: ReportFilter, kind: Exclude<PeriodKind, 'dates'>) {
	const programmeId = filter.programmeIds?.[0] ?? ALL;
	if (!hasSchoolFilter(filter)) {
		const reached = sql.join(
			schoolPhases.map((phase) => sql`when ${sql.lit(phase)} then r.${sql.ref(REACHED_COLUMN[phase])}`),
			sql` `
		);
		return sql<{ phase: SchoolPhase; schools: number; reached: number }>`
			select p.phase, p.schools, coalesce(case p.phase ${reached} end, 0)::int as reached
			from (select phase, count(*)::int as schools from school where active group by phase) p
			left join report_rollup r on r.period_kind = ${kind} and r.period_start = ${filter.from} and r.programme_id = ${programmeId} and r.school_id = ${ALL}
		`;
	}
	const conditions: RawBuilder<boolean>[] = [sql`true`];
	if (filter.schoolIds) conditions.push(sql`sc.id = any(${[...filter.schoolIds]}::uuid[])`);
	if (filter.phase) conditions.push(sql`sc.phase = ${filter.phase}`);
	if (filter.town) conditions.push(sql`sc.town = ${filter.town}`);
	// The period's rows read first and joined by hash ("offset 0" keeps them apart): planned as
	// one query, the rollup was probed once per school, two and a half times as long for a county.
	return sql<{ phase: SchoolPhase; schools: number; reached: number }>`
		select sc.phase, count(*) filter (where sc.active)::int as schools, count(*) filter (where r.schools_reached > 0)::int as reached
		from school sc
		left join (
			select school_id, schools_reached from report_rollup
			where period_kind = ${kind} and period_start = ${filter.from} and programme_id = ${programmeId} and school_id <> ${ALL}
			offset 0
		) r on r.school_id = sc.id
		where ${sql.join(conditions, sql` and `)}
		group by sc.phase
		having count(*) filter (where sc.active) > 0
	`;
}

/**
 * The district overview's figures in one statement where the rollup holds them (a standard
 * period, no programme or school filter): the rows by programme with their total, the reach by
 * phase and the before-and-after outcomes' rows, each read as JSON. The same rows as
 * `reportFiguresAndTotal`, `reachByPhase` and `listOutcomeRows` (`outcomeProgrammeIds` as its
 * programmes) read apart; but every statement is a round trip, and on a county's overview
 * computed on every request each cost the app about a third of a millisecond of its time
 * however little it read (a CPU profile under load, issue 15). Null where the rollup does not
 * hold the selection: then read them apart.
 *
 * The schools of each phase are `schoolsByPhase`, as the filter's choices counted them
 * (`listReportOptions`, read once per change of the figures): counting the 600 schools of a
 * county here was more than half of what the statement cost PostgreSQL on every request.
 */
export async function overviewFigures(
	db: Db,
	filter: ReportFilter,
	outcomeProgrammeIds: readonly string[],
	schoolsByPhase: readonly PhaseCount[]
): Promise<{ rows: Map<string, Figures>; total: Figures; reach: { phase: SchoolPhase; schools: number; reached: number }[]; outcomes: OutcomeRow[] } | null> {
	if (!rollupHoldsWhole(filter)) return null;
	const { rows } = await db.executeQuery(overviewStatement(db, filter, outcomeProgrammeIds));
	const read = rows[0]!;
	const reach = schoolsByPhase.map(({ phase, schools }) => ({ phase, schools, reached: read.reached?.[phase] ?? 0 }));
	return { ...totalApart(figuresByKey(read.figures)), reach, outcomes: read.outcomes };
}

/** The statement's one row: `reached` is null where the rollup has no row for the period (nothing delivered in it). */
type OverviewRead = { figures: (RollupRow & { key: string })[]; reached: Record<SchoolPhase, number> | null; outcomes: OutcomeRow[] };

/**
 * `overviewFigures`' statement, compiled once for each selection asked for lately: building and
 * compiling it (three subqueries, about 5 KB of SQL) took about a twentieth of the app's time on
 * a computed overview under load. The values are part of what is compiled, so the key holds
 * them all; per database handle, as a handle compiles for its own dialect and plugins.
 */
const overviewStatements = new WeakMap<Db, Map<string, CompiledQuery<OverviewRead>>>();
const OVERVIEW_STATEMENTS = 32;

function overviewStatement(
	db: Db,
	filter: ReportFilter & { periodKind: Exclude<PeriodKind, 'dates'> },
	outcomeProgrammeIds: readonly string[]
): CompiledQuery<OverviewRead> {
	let compiled = overviewStatements.get(db);
	if (!compiled) overviewStatements.set(db, (compiled = new Map()));
	const key = JSON.stringify([filter, outcomeProgrammeIds]);
	const known = compiled.get(key);
	if (known) return known;
	const figures = rollupFiguresQuery(db, filter, 'programme', true)!;
	const outcomes = outcomeRowsStatement({ from: filter.from, to: filter.to, programmeIds: outcomeProgrammeIds });
	const statement = sql<OverviewRead>`${PREPARED}
		select
			(select coalesce(json_agg(f), '[]') from (${figures}) f) as figures,
			(${reachedByPhase(filter.from, filter.periodKind, ALL)}) as reached,
			-- In the order the statement sorts them: an aggregate over a sorted subquery takes its rows as they come.
			(select coalesce(json_agg(o), '[]') from (${outcomes}) o) as outcomes
	`.compile(db);
	compiled.set(key, statement);
	if (compiled.size > OVERVIEW_STATEMENTS) compiled.delete(compiled.keys().next().value!);
	return statement;
}

/** Schools reached by phase, counted from the records: for ranges of dates, and the rollup's reference. */
export async function countSchoolsReachedByPhase(db: Db, filter: ReportFilter): Promise<{ phase: SchoolPhase; reached: number }[]> {
	const { rows } = await sql<{ phase: SchoolPhase; reached: number }>`
		with ${sessionSchoolRows(filter)}
		select sc.phase, count(distinct ss.school_id)::int as reached
		from ss join school sc on sc.id = ss.school_id
		where ss.delivered and ss.named + ss.young + ss.parents > 0
		group by sc.phase
	`.execute(db);
	return rows.map((r) => ({ phase: r.phase, reached: Number(r.reached) }));
}

/** Per delivered or cancelled session of the selection: the drill-down below a programme. */
export async function sessionRows(db: Db, filter: ReportFilter) {
	const { rows } = await sql<{
		session_id: string;
		programme_id: string;
		local_start: string;
		status: string;
		delivered: boolean;
		schools: number;
		places_booked: number;
		attended: number;
		expected: number;
	}>`
		with ${sessionSchoolRows(filter)}
		select s.id as session_id, s.programme_id, to_char(s.local_start, 'YYYY-MM-DD"T"HH24:MI') as local_start, s.status, s.delivered,
			count(distinct ss.school_id)::int as schools,
			coalesce(sum(ss.places), 0)::int as places_booked,
			coalesce(sum(ss.named + ss.young + ss.parents + ss.professionals), 0)::int as attended,
			coalesce(sum(case when ss.marks > 0 then ss.marks else ss.places end), 0)::int as expected
		from s left join ss on ss.session_id = s.id
		where (s.delivered or s.status = 'cancelled') and (${hasSchoolFilter(filter)} = false or ss.session_id is not null)
		group by s.id, s.programme_id, s.local_start, s.status, s.delivered
		order by s.local_start
	`.execute(db);
	return rows;
}

/** The rollup's "every programme" and "every school". */
export const ALL = '00000000-0000-0000-0000-000000000000';

const rollupMeasures = [
	'sessions_delivered',
	'sessions_cancelled',
	'places_booked',
	'attended',
	'expected',
	'headcount_young_people',
	'parents',
	'professionals',
	'schools_reached',
	'named_young_people',
	'station_visits',
	'meetings',
	'meeting_minutes',
	'mentors',
	'mentees',
	'discovery',
	'explorer',
	'conserver'
] as const;

type RollupRow = Record<(typeof rollupMeasures)[number], number>;

function figuresOfRow(key: string, r: RollupRow): Figures {
	return {
		key,
		sessionsDelivered: Number(r.sessions_delivered),
		sessionsCancelled: Number(r.sessions_cancelled),
		placesBooked: Number(r.places_booked),
		attended: Number(r.attended),
		expected: Number(r.expected),
		namedYoungPeople: Number(r.named_young_people),
		headcountYoungPeople: Number(r.headcount_young_people),
		parents: Number(r.parents),
		professionals: Number(r.professionals),
		schoolsReached: Number(r.schools_reached),
		stationVisits: Number(r.station_visits),
		meetings: Number(r.meetings),
		meetingMinutes: Number(r.meeting_minutes),
		mentors: Number(r.mentors),
		mentees: Number(r.mentees),
		awards: { discovery: Number(r.discovery), explorer: Number(r.explorer), conserver: Number(r.conserver) }
	};
}

/** A standard period as the rollup names it. */
export interface RollupPeriod {
	kind: Exclude<PeriodKind, 'dates'>;
	/** Its first day, YYYY-MM-DD. */
	from: string;
}

/** The rollup's rows of several periods: the district's, by programme and by school (and by programme within `schoolId`). */
export interface RollupSlice {
	period: RollupPeriod;
	total: Figures;
	programmes: Map<string, Figures>;
	schools: Map<string, Figures>;
	/** With `schoolId`: that school's rows by programme. */
	schoolProgrammes: Map<string, Figures>;
}

/**
 * Every period's district rows from the rollup in one query: the total, each programme's and
 * each school's, and with `schoolId` that school's by programme. The same figures as
 * `rollupFigures` for one period and one key at a time (a rollup row is already the sum of
 * what it holds), read together for everything one decision on suppression needs.
 */
export async function listRollupSlices(db: Db, periods: readonly RollupPeriod[], schoolId?: string): Promise<RollupSlice[]> {
	if (periods.length === 0) return [];
	const rows = await db
		.selectFrom('report_rollup as r')
		.select([
			'r.period_kind',
			sql<string>`to_char(r.period_start, 'YYYY-MM-DD')`.as('period_from'),
			sql<string>`r.programme_id::text`.as('programme_id'),
			sql<string>`r.school_id::text`.as('school_id'),
			...rollupMeasures.map((m) => sql.ref<number>(`r.${m}`).as(m))
		])
		.where((eb) => eb.or(periods.map((p) => eb.and([eb('r.period_kind', '=', p.kind), eb('r.period_start', '=', p.from)]))))
		.where((eb) => eb.or([eb('r.programme_id', '=', ALL), eb('r.school_id', '=', ALL), ...(schoolId ? [eb('r.school_id', '=', schoolId)] : [])]))
		.execute();
	const slices = new Map<string, RollupSlice>(
		periods.map((period) => [
			`${period.kind} ${period.from}`,
			{ period, total: emptyFigures('total'), programmes: new Map(), schools: new Map(), schoolProgrammes: new Map() }
		])
	);
	for (const row of rows as (RollupRow & { period_kind: string; period_from: string; programme_id: string; school_id: string })[]) {
		const slice = slices.get(`${row.period_kind} ${row.period_from}`);
		if (!slice) continue;
		if (row.programme_id === ALL && row.school_id === ALL) slice.total = figuresOfRow('total', row);
		else if (row.school_id === ALL) slice.programmes.set(row.programme_id, figuresOfRow(row.programme_id, row));
		else if (row.programme_id === ALL) slice.schools.set(row.school_id, figuresOfRow(row.school_id, row));
		else slice.schoolProgrammes.set(row.programme_id, figuresOfRow(row.programme_id, row));
	}
	return [...slices.values()];
}

/**
 * The figures from the rollup, or null when the selection is not one it holds: a range of
 * dates, quarters of an academic year (financial quarters straddle it), or several programmes
 * together (different young people can't be added across programmes). With a school filter,
 * school rows are added up, and sessions (shared between schools) are counted from the records.
 */
export async function rollupFigures(db: Db, filter: ReportFilter, key: ReportKey, withTotal = false): Promise<Map<string, Figures> | null> {
	const query = rollupFiguresQuery(db, filter, key, withTotal);
	if (!query) return null;
	const figures = figuresByKey(await query.execute());
	if (hasSchoolFilter(filter) && key !== 'school') {
		for (const s of await sessionFigures(db, filter, key)) {
			const f = figures.get(s.key) ?? figures.set(s.key, emptyFigures(s.key)).get(s.key)!;
			f.sessionsDelivered = Number(s.delivered);
			f.sessionsCancelled = Number(s.cancelled);
		}
	}
	return figures;
}

/** The rollup's statement for `rollupFigures`, one row per key (sessions under a school filter apart), or null where the rollup does not hold the selection. */
function rollupFiguresQuery(db: Db, filter: ReportFilter, key: ReportKey, withTotal: boolean) {
	const kind = filter.periodKind;
	if (!kind || kind === 'dates') return null;
	if (key === 'quarter' && kind === 'academic') return null;
	if (filter.programmeIds && filter.programmeIds.length > 1 && key !== 'programme') return null;
	const schoolFiltered = hasSchoolFilter(filter);

	let query = db.selectFrom('report_rollup as r');
	query =
		key === 'quarter'
			? query.where('r.period_kind', '=', 'quarter').where('r.period_start', '>=', filter.from).where('r.period_start', '<=', filter.to)
			: query.where('r.period_kind', '=', kind).where('r.period_start', '=', filter.from);
	// With the total (`reportFiguresAndTotal`): the key's own row for every programme or school comes too, as 'total'.
	const total = withTotal && (key === 'programme' || key === 'school');
	if (key === 'programme' || filter.programmeIds) {
		if (!total) query = query.where('r.programme_id', '<>', ALL);
		if (filter.programmeIds) query = query.where('r.programme_id', 'in', [...filter.programmeIds]);
	} else query = query.where('r.programme_id', '=', ALL);
	if (key === 'school' || schoolFiltered) {
		if (!total) query = query.where('r.school_id', '<>', ALL);
		if (schoolFiltered) query = query.where(schoolCondition('r.school_id', filter));
	} else query = query.where('r.school_id', '=', ALL);

	const keyColumn = {
		school: total ? sql<string>`case when r.school_id = ${ALL} then 'total' else r.school_id::text end` : sql<string>`r.school_id::text`,
		programme: total ? sql<string>`case when r.programme_id = ${ALL} then 'total' else r.programme_id::text end` : sql<string>`r.programme_id::text`,
		quarter: sql<string>`to_char(r.period_start, 'YYYY-MM-DD')`,
		total: sql<string>`'total'`
	}[key];
	return (
		query
			.select([keyColumn.as('key'), ...rollupMeasures.map((m) => sql<number>`sum(${sql.ref(`r.${m}`)})::int`.as(m))])
			.groupBy(sql`1`)
			// Prepared where its text is the same whatever the values: without lists of programmes or schools.
			.$if(!filter.programmeIds && !schoolFiltered, (q) => q.modifyEnd(PREPARED))
			.$castTo<RollupRow & { key: string }>()
	);
}

function figuresByKey(rows: readonly (RollupRow & { key: string })[]): Map<string, Figures> {
	const figures = new Map<string, Figures>();
	for (const r of rows) figures.set(r.key, figuresOfRow(r.key, r));
	return figures;
}

/** Rebuilds the rollups as a whole, each in one transaction (migrations 20261205T0300 and 20261210T0100). */
export async function rebuildRollups(db: Db): Promise<void> {
	await sql`select rebuild_report_rollups()`.execute(db);
	// Outcomes are kept by triggers in each change's own transaction (migration 20261210T0100);
	// counted again here too, so that the repair tool repairs every figure.
	await sql`select rebuild_outcome_rollup()`.execute(db);
}

/**
 * What a change touched, as the rollup's scoped recount reads it (migration 20261205T0300):
 * sessions (whether the session itself changed, and a day a moved session was on before), young
 * people and schools on a day; and schools given another phase, counted again in every period
 * they were reached in (migration 20261209T0100).
 */
export interface RollupScope {
	sessions: { id: string; day: string | null; itself: boolean }[];
	people: { id: string; day: string }[];
	schools: { id: string; day: string }[];
	rephased?: string[];
}

/** Counts again only the rollup rows `scope` touches, in one transaction. */
export async function recountRollups(db: Db, scope: RollupScope): Promise<void> {
	await sql`select rebuild_report_rollups(${JSON.stringify(scope)}::jsonb)`.execute(db);
}

/** Tells every app process listening that report figures changed without a recount (NOTIFY report_figures). */
export async function notifyFiguresChanged(db: Db): Promise<void> {
	await sql`select pg_notify('report_figures', 'changed')`.execute(db);
}

/** Sessions that started in [from, to): each becomes "delivered" in the figures. */
export async function listSessionsStartedBetween(db: Db, from: Date, to: Date): Promise<string[]> {
	const rows = await db.selectFrom('programme_session').select('id').where('starts_at', '>=', from).where('starts_at', '<', to).execute();
	return rows.map((r) => r.id);
}

/** When the rollup was last rebuilt and how long that took, and the last failed rebuild (no row: never). */
export async function findRollupState(db: Db) {
	return db.selectFrom('report_rollup_state').select(['refreshed_at', 'took_ms', 'last_failed_at', 'last_error']).executeTakeFirst();
}

/** Records a failed rebuild (a short message without personal data), for every process's report pages. */
export async function updateRollupFailure(db: Db, error: string): Promise<void> {
	await db
		.updateTable('report_rollup_state')
		.set({ last_failed_at: sql<Date>`clock_timestamp()`, last_error: error })
		.execute();
}

/** A rebuild has succeeded: the last failure is over. */
export async function clearRollupFailure(db: Db): Promise<void> {
	await db.updateTable('report_rollup_state').set({ last_failed_at: null, last_error: null }).execute();
}
