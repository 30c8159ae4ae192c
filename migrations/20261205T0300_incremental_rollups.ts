import { sql, type Kysely } from 'kysely';

// Report figures kept up to date change by change (issue 15, item 1). Rebuilding the whole
// rollup after every change cost about 40 s of the database's time at county scale, so a
// register showed in the reports minutes after it was saved. Now rebuild_report_rollups(scope)
// recounts only what a change touches, and the whole rollup when given no scope (the repair
// tool, `npm run figures:rebuild`, and the migrations). One function does both, so the scoped
// and the whole count can't drift apart:
//
// 1. The scope is resolved to days and schools: a session gives its day (and a day it was moved
//    from) and every school with a booking, a headcount, a station count or a marked young person
//    there; a young person gives their school; a school is given as it is.
// 2. By-school rows: for each school touched, every figure of the periods holding those days is
//    counted again from the school's own records (a school's whole history is a few thousand
//    marks even at county scale), for every programme and for all programmes.
// 3. All-schools rows of those periods are then worked out from the by-school rows, which is
//    exact because every figure there adds up over schools (a young person belongs to one
//    school, and "schools reached" is 0 or 1 per school), except the two that don't: sessions
//    (one session serves many schools) are counted from the sessions, and mentors and mentees
//    (a mentor may mentor in two schools) from the meetings, and only when a session itself or
//    a meeting changed: a register saved leaves them as they were.
//
// Distinct counts stay exact without keeping sets of who was reached, and the cost of a change
// follows the schools and periods it touches, not the history. Scoped recounts and rebuilds
// take the same lock, so each one reads everything committed before it and the last one wins.
// Each one tells every app process (NOTIFY report_figures) when it commits (issue 15, item 2).

const ALL = '00000000-0000-0000-0000-000000000000';

const rebuild = `
create function rebuild_report_rollups(scope jsonb default null) returns void language plpgsql as $$
declare
	started timestamptz := clock_timestamp();
	everything boolean := scope is null;
	-- Sessions for all schools change only with a session itself (made, moved, cancelled,
	-- started), and mentors and mentees for all schools only with a meeting: otherwise the
	-- all-schools rows keep theirs, which spares counting every session and meeting of a period.
	sessions_changed boolean := scope is null or exists (
		select from jsonb_to_recordset(coalesce(scope->'sessions', '[]')) as x(id uuid, day date, itself boolean) where x.itself or x.day is not null
	);
	meetings_changed boolean := scope is null or jsonb_array_length(coalesce(scope->'people', '[]')) > 0;
begin
	-- One count at a time, across every app process on the database.
	perform pg_advisory_xact_lock(hashtext('rebuild_report_rollups'));
	-- Dropped first as well as on commit: a transaction may count more than once.
	drop table if exists rollup_part;
	drop table if exists rollup_ss;
	drop table if exists rollup_touch;
	drop table if exists rollup_cells;
	drop table if exists rollup_footprint;
	drop table if exists rollup_periods;
	create temporary table rollup_part (like report_rollup including defaults) on commit drop;
	-- By-school rows counted again: (period, school), every programme and all programmes.
	create temporary table rollup_cells (kind text, start date, school_id uuid) on commit drop;
	-- Whose records are read, and the days that matter: one row a school.
	create temporary table rollup_footprint (school_id uuid primary key, lo date, hi date) on commit drop;
	-- Periods whose all-schools rows are worked out again.
	create temporary table rollup_periods (kind text, start date, lo date, hi date) on commit drop;

	if everything then
		insert into rollup_footprint select id, '-infinity'::date, 'infinity'::date from school;
	else
		-- The days and schools a change touched (school null: the day's periods only).
		create temporary table rollup_touch on commit drop as
		with sessions as (
			select ps.id, (ps.starts_at at time zone 'Europe/London')::date as day, x.day as former_day
			from jsonb_to_recordset(coalesce(scope->'sessions', '[]')) as x(id uuid, day date)
			join programme_session ps on ps.id = x.id
		), session_schools as (
			select b.session_id, b.school_id from booking b where b.session_id in (select id from sessions)
			union select h.session_id, h.school_id from attendance_headcount h where h.session_id in (select id from sessions)
			union select sh.session_id, sh.school_id from station_headcount sh where sh.session_id in (select id from sessions)
			union select m.session_id, yp.school_id from attendance_mark m join young_person yp on yp.id = m.young_person_id
				where m.session_id in (select id from sessions)
		), days as (
			select s.id, s.day from sessions s
			union select s.id, s.former_day from sessions s where s.former_day is not null
		)
		select d.day, ss.school_id from days d left join session_schools ss on ss.session_id = d.id
		union select d.day, null::uuid from days d
		union select x.day, yp.school_id from jsonb_to_recordset(coalesce(scope->'people', '[]')) as x(id uuid, day date)
			join young_person yp on yp.id = x.id
		union select x.day, x.id from jsonb_to_recordset(coalesce(scope->'schools', '[]')) as x(id uuid, day date);

		insert into rollup_cells select distinct p.kind, p.start, t.school_id
		from rollup_touch t cross join lateral report_periods(t.day) p where t.school_id is not null and t.day is not null;
		insert into rollup_footprint
		select school_id, min(start), max(start + case kind when 'quarter' then interval '3 months' else interval '1 year' end)::date
		from rollup_cells group by school_id;
		insert into rollup_periods
		select distinct p.kind, p.start, p.start, (p.start + case p.kind when 'quarter' then interval '3 months' else interval '1 year' end)::date
		from rollup_touch t cross join lateral report_periods(t.day) p where t.day is not null;
		analyze rollup_cells;
		analyze rollup_footprint;
		analyze rollup_periods;
	end if;

	-- Per session and school: places booked, headcounts and named marks.
	create temporary table rollup_ss on commit drop as
	with parts as (
		select b.session_id, b.school_id, b.confirmed_places as places, 0 as young, 0 as parents, 0 as professionals, 0 as named, 0 as marks
		from booking b join rollup_footprint f on f.school_id = b.school_id
		where b.status <> 'cancelled' and b.confirmed_places > 0
		union all
		select h.session_id, h.school_id, 0, case when h.year_group in ('parents', 'professionals') then 0 else h.count end,
			case when h.year_group = 'parents' then h.count else 0 end, case when h.year_group = 'professionals' then h.count else 0 end, 0, 0
		from attendance_headcount h join rollup_footprint f on f.school_id = h.school_id
		union all
		select m.session_id, yp.school_id, 0, 0, 0, 0, count(*) filter (where counts_as_attended(m.status)), count(*)
		from rollup_footprint f join young_person yp on yp.school_id = f.school_id join attendance_mark m on m.young_person_id = yp.id
		group by m.session_id, yp.school_id
	)
	select parts.session_id, parts.school_id, ps.programme_id, (ps.starts_at at time zone 'Europe/London')::date as day,
		ps.status <> 'cancelled' and ps.starts_at <= now() as delivered, ps.status = 'cancelled' as cancelled,
		sum(places)::int as places, sum(young)::int as young, sum(parents)::int as parents, sum(professionals)::int as professionals,
		sum(named)::int as named, sum(marks)::int as marks
	from parts join programme_session ps on ps.id = parts.session_id
	join rollup_footprint f on f.school_id = parts.school_id
	where (ps.starts_at at time zone 'Europe/London')::date >= f.lo and (ps.starts_at at time zone 'Europe/London')::date < f.hi
	group by 1, 2, 3, 4, 5, 6;

	insert into rollup_part (period_kind, period_start, programme_id, school_id, places_booked, attended, expected,
		headcount_young_people, parents, professionals, schools_reached, sessions_delivered, sessions_cancelled)
	select p.kind, p.start, coalesce(ss.programme_id, '${ALL}'), ss.school_id,
		coalesce(sum(ss.places) filter (where ss.delivered), 0),
		coalesce(sum(ss.named + ss.young + ss.parents + ss.professionals) filter (where ss.delivered), 0),
		coalesce(sum(case when ss.marks > 0 then ss.marks else ss.places end) filter (where ss.delivered), 0),
		coalesce(sum(ss.young) filter (where ss.delivered), 0),
		coalesce(sum(ss.parents) filter (where ss.delivered), 0), coalesce(sum(ss.professionals) filter (where ss.delivered), 0),
		-- A school's row: 1 if it was reached. Summed over schools, it counts them.
		count(distinct ss.school_id) filter (where ss.delivered and ss.named + ss.young + ss.parents > 0),
		-- Sessions the school booked or came to.
		count(distinct ss.session_id) filter (where ss.delivered), count(distinct ss.session_id) filter (where ss.cancelled)
	from rollup_ss ss cross join lateral report_periods(ss.day) p
	where everything or exists (select from rollup_cells c where c.kind = p.kind and c.start = p.start and c.school_id = ss.school_id)
	group by grouping sets ((p.kind, p.start, ss.programme_id, ss.school_id), (p.kind, p.start, ss.school_id));

	-- Different young people who came.
	insert into rollup_part (period_kind, period_start, programme_id, school_id, named_young_people)
	select p.kind, p.start, coalesce(x.programme_id, '${ALL}'), x.school_id, count(distinct x.young_person_id)
	from (
		select distinct ps.programme_id, yp.school_id, m.young_person_id, (ps.starts_at at time zone 'Europe/London')::date as day
		from rollup_footprint f
		join young_person yp on yp.school_id = f.school_id
		join attendance_mark m on m.young_person_id = yp.id
		join programme_session ps on ps.id = m.session_id
		where counts_as_attended(m.status)
			and (ps.starts_at at time zone 'Europe/London')::date >= f.lo and (ps.starts_at at time zone 'Europe/London')::date < f.hi
	) x cross join lateral report_periods(x.day) p
	where everything or exists (select from rollup_cells c where c.kind = p.kind and c.start = p.start and c.school_id = x.school_id)
	group by grouping sets ((p.kind, p.start, x.programme_id, x.school_id), (p.kind, p.start, x.school_id));

	-- Carousel workstation visits, at delivered sessions.
	insert into rollup_part (period_kind, period_start, programme_id, school_id, station_visits)
	select p.kind, p.start, coalesce(ps.programme_id, '${ALL}'), sh.school_id, sum(sh.count)
	from station_headcount sh
	join rollup_footprint f on f.school_id = sh.school_id
	join programme_session ps on ps.id = sh.session_id
	cross join lateral report_periods((ps.starts_at at time zone 'Europe/London')::date) p
	where ps.status <> 'cancelled' and ps.starts_at <= now()
		and (ps.starts_at at time zone 'Europe/London')::date >= f.lo and (ps.starts_at at time zone 'Europe/London')::date < f.hi
		and (everything or exists (select from rollup_cells c where c.kind = p.kind and c.start = p.start and c.school_id = sh.school_id))
	group by grouping sets ((p.kind, p.start, ps.programme_id, sh.school_id), (p.kind, p.start, sh.school_id));

	-- Mentoring meetings, by the mentee's school.
	insert into rollup_part (period_kind, period_start, programme_id, school_id, meetings, meeting_minutes, mentors, mentees)
	select p.kind, p.start, coalesce(c.programme_id, '${ALL}'), yp.school_id,
		count(*), sum(mm.minutes), count(distinct mp.mentor_id), count(distinct mp.mentee_id)
	from rollup_footprint f
	join young_person yp on yp.school_id = f.school_id
	join mentoring_pair mp on mp.mentee_id = yp.id
	join mentoring_meeting mm on mm.pair_id = mp.id
	join mentoring_cohort c on c.id = mp.cohort_id
	cross join lateral report_periods(mm.met_on) p
	where mm.met_on >= f.lo and mm.met_on < f.hi
		and (everything or exists (select from rollup_cells rc where rc.kind = p.kind and rc.start = p.start and rc.school_id = yp.school_id))
	group by grouping sets ((p.kind, p.start, c.programme_id, yp.school_id), (p.kind, p.start, yp.school_id));

	-- Awards signed off, by the date achieved.
	insert into rollup_part (period_kind, period_start, programme_id, school_id, discovery, explorer, conserver)
	select p.kind, p.start, coalesce(g.programme_id, '${ALL}'), yp.school_id,
		count(*) filter (where ap.level = 'discovery'), count(*) filter (where ap.level = 'explorer'), count(*) filter (where ap.level = 'conserver')
	from rollup_footprint f
	join young_person yp on yp.school_id = f.school_id
	join award_participant ap on ap.young_person_id = yp.id
	join award_group g on g.id = ap.award_group_id
	cross join lateral report_periods(ap.achieved_on) p
	where ap.achieved_on is not null and ap.achieved_on >= f.lo and ap.achieved_on < f.hi
		and (everything or exists (select from rollup_cells c where c.kind = p.kind and c.start = p.start and c.school_id = yp.school_id))
	group by grouping sets ((p.kind, p.start, g.programme_id, yp.school_id), (p.kind, p.start, yp.school_id));

	-- The by-school rows replace those counted again.
	if everything then
		delete from report_rollup;
	else
		delete from report_rollup r using rollup_cells c
		where r.period_kind = c.kind and r.period_start = c.start and r.school_id = c.school_id;
	end if;
	insert into report_rollup (period_kind, period_start, programme_id, school_id, sessions_delivered, sessions_cancelled, places_booked,
		attended, expected, headcount_young_people, parents, professionals, schools_reached, named_young_people, station_visits,
		meetings, meeting_minutes, mentors, mentees, discovery, explorer, conserver)
	select period_kind, period_start, programme_id, school_id,
		sum(sessions_delivered), sum(sessions_cancelled), sum(places_booked), sum(attended), sum(expected),
		sum(headcount_young_people), sum(parents), sum(professionals), sum(schools_reached), sum(named_young_people), sum(station_visits),
		sum(meetings), sum(meeting_minutes), sum(mentors), sum(mentees), sum(discovery), sum(explorer), sum(conserver)
	from rollup_part
	group by 1, 2, 3, 4;

	-- All schools: every period with a by-school row or a session, or the periods touched.
	if everything then
		insert into rollup_periods
		select k.kind, k.start, k.start, (k.start + case k.kind when 'quarter' then interval '3 months' else interval '1 year' end)::date
		from (
			select period_kind as kind, period_start as start from report_rollup
			union
			select p.kind, p.start from programme_session ps cross join lateral report_periods((ps.starts_at at time zone 'Europe/London')::date) p
		) k;
		analyze rollup_periods;
	end if;
	truncate rollup_part;
	-- What the all-schools rows keep (see sessions_changed), where it still holds: sessions of
	-- a programme in a period that still has one, mentors and mentees where there were some.
	if not sessions_changed then
		insert into rollup_part (period_kind, period_start, programme_id, school_id, sessions_delivered, sessions_cancelled)
		select r.period_kind, r.period_start, r.programme_id, r.school_id, r.sessions_delivered, r.sessions_cancelled
		from rollup_periods h join report_rollup r on r.period_kind = h.kind and r.period_start = h.start and r.school_id = '${ALL}'
		where exists (
			select from programme_session ps
			where (r.programme_id = '${ALL}' or ps.programme_id = r.programme_id)
				and ps.starts_at >= (h.lo::timestamp at time zone 'Europe/London') and ps.starts_at < (h.hi::timestamp at time zone 'Europe/London')
		);
	end if;
	if not meetings_changed then
		insert into rollup_part (period_kind, period_start, programme_id, school_id, mentors, mentees)
		select r.period_kind, r.period_start, r.programme_id, r.school_id, r.mentors, r.mentees
		from rollup_periods h join report_rollup r on r.period_kind = h.kind and r.period_start = h.start and r.school_id = '${ALL}'
		where r.mentors + r.mentees > 0;
	end if;
	delete from report_rollup r using rollup_periods h
	where r.period_kind = h.kind and r.period_start = h.start and r.school_id = '${ALL}';

	-- What adds up over schools.
	insert into rollup_part (period_kind, period_start, programme_id, school_id, places_booked, attended, expected, headcount_young_people,
		parents, professionals, schools_reached, named_young_people, station_visits, meetings, meeting_minutes, discovery, explorer, conserver)
	select r.period_kind, r.period_start, r.programme_id, '${ALL}', sum(r.places_booked), sum(r.attended), sum(r.expected),
		sum(r.headcount_young_people), sum(r.parents), sum(r.professionals), sum(r.schools_reached), sum(r.named_young_people),
		sum(r.station_visits), sum(r.meetings), sum(r.meeting_minutes), sum(r.discovery), sum(r.explorer), sum(r.conserver)
	from rollup_periods h join report_rollup r on r.period_kind = h.kind and r.period_start = h.start and r.school_id <> '${ALL}'
	group by 1, 2, 3;

	-- Sessions: for all schools, every one.
	if sessions_changed then
		insert into rollup_part (period_kind, period_start, programme_id, school_id, sessions_delivered, sessions_cancelled)
		select h.kind, h.start, coalesce(ps.programme_id, '${ALL}'), '${ALL}',
			count(*) filter (where ps.status <> 'cancelled' and ps.starts_at <= now()), count(*) filter (where ps.status = 'cancelled')
		from rollup_periods h
		join programme_session ps on ps.starts_at >= (h.lo::timestamp at time zone 'Europe/London') and ps.starts_at < (h.hi::timestamp at time zone 'Europe/London')
		group by grouping sets ((h.kind, h.start, ps.programme_id), (h.kind, h.start));
	end if;

	-- Different mentors and mentees, from the meetings.
	if meetings_changed then
		insert into rollup_part (period_kind, period_start, programme_id, school_id, mentors, mentees)
		select h.kind, h.start, coalesce(c.programme_id, '${ALL}'), '${ALL}', count(distinct mp.mentor_id), count(distinct mp.mentee_id)
		from rollup_periods h
		join mentoring_meeting mm on mm.met_on >= h.lo and mm.met_on < h.hi
		join mentoring_pair mp on mp.id = mm.pair_id
		join mentoring_cohort c on c.id = mp.cohort_id
		group by grouping sets ((h.kind, h.start, c.programme_id), (h.kind, h.start));
	end if;

	insert into report_rollup (period_kind, period_start, programme_id, school_id, sessions_delivered, sessions_cancelled, places_booked,
		attended, expected, headcount_young_people, parents, professionals, schools_reached, named_young_people, station_visits,
		meetings, meeting_minutes, mentors, mentees, discovery, explorer, conserver)
	select period_kind, period_start, programme_id, school_id,
		sum(sessions_delivered), sum(sessions_cancelled), sum(places_booked), sum(attended), sum(expected),
		sum(headcount_young_people), sum(parents), sum(professionals), sum(schools_reached), sum(named_young_people), sum(station_visits),
		sum(meetings), sum(meeting_minutes), sum(mentors), sum(mentees), sum(discovery), sum(explorer), sum(conserver)
	from rollup_part
	group by 1, 2, 3, 4;

	if everything then
		update report_rollup_state set refreshed_at = clock_timestamp(), took_ms = (extract(epoch from clock_timestamp() - started) * 1000)::int;
	else
		update report_rollup_state set refreshed_at = clock_timestamp();
	end if;
	-- Every app process listening drops the reports it kept, once this commits.
	perform pg_notify('report_figures', 'counted');
end $$`;

export async function up(db: Kysely<any>): Promise<void> {
	// The whole rebuild this replaces, kept where down can find it.
	const { rows } = await sql<{ definition: string }>`select pg_get_functiondef('rebuild_report_rollups()'::regprocedure) as definition`.execute(db);
	await sql`drop function rebuild_report_rollups()`.execute(db);
	await sql.raw(rebuild).execute(db);
	await sql`comment on function rebuild_report_rollups(jsonb) is ${sql.lit(`Replaces: ${rows[0]!.definition}`)}`.execute(db);
	// The all-schools mentors and mentees of a period are counted from its meetings.
	await db.schema.createIndex('mentoring_meeting_met_on_idx').on('mentoring_meeting').column('met_on').execute();
	await sql`select rebuild_report_rollups()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	const { rows } = await sql<{ comment: string }>`select obj_description('rebuild_report_rollups(jsonb)'::regprocedure, 'pg_proc') as comment`.execute(db);
	await db.schema.dropIndex('mentoring_meeting_met_on_idx').execute();
	await sql`drop function rebuild_report_rollups(jsonb)`.execute(db);
	await sql.raw(rows[0]!.comment.replace(/^Replaces: /, '')).execute(db);
	await sql`select rebuild_report_rollups()`.execute(db);
}
