import { sql, type Kysely } from 'kysely';

// The reports' rollup: every figure of every standard period (academic year, financial year,
// financial quarter) by programme and school, including "all programmes" and "all schools"
// rows, so a report for a standard period reads a few hundred rows instead of counting
// millions of marks. Counts of different people (young people, mentors, mentees) and of
// sessions shared between schools can't be added up from smaller rows, which is why the
// "all" rows are counted here rather than summed later.
//
// It is rebuilt as a whole by rebuild_report_rollups(), in one transaction, on a schedule and
// soon after changes (see src/lib/server/reports/rollups.ts); report_rollup_state records when,
// and every report shows it. Ranges of dates that are not a standard period are counted from
// the records themselves. The definitions are the same as the direct queries in
// src/lib/server/reports/reports.queries.ts, and the tests compare the two.

export const ALL = '00000000-0000-0000-0000-000000000000';

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('report_rollup')
		.addColumn('period_kind', 'text', (c) => c.notNull().check(sql`period_kind in ('academic', 'financial', 'quarter')`))
		.addColumn('period_start', 'date', (c) => c.notNull())
		// ALL (the zero uuid) stands for every programme or every school.
		.addColumn('programme_id', 'uuid', (c) => c.notNull())
		.addColumn('school_id', 'uuid', (c) => c.notNull())
		.addColumn('sessions_delivered', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('sessions_cancelled', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('places_booked', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('attended', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('expected', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('headcount_young_people', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('parents', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('schools_reached', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('named_young_people', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('station_visits', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('meetings', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('meeting_minutes', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('mentors', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('mentees', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('discovery', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('explorer', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('conserver', 'integer', (c) => c.notNull().defaultTo(0))
		.addPrimaryKeyConstraint('report_rollup_pkey', ['period_kind', 'period_start', 'programme_id', 'school_id'])
		.execute();

	await db.schema
		.createTable('report_rollup_state')
		.addColumn('id', 'boolean', (c) => c.primaryKey().defaultTo(true).check(sql`id`))
		.addColumn('refreshed_at', 'timestamptz')
		.addColumn('took_ms', 'integer')
		.execute();
	await sql`insert into report_rollup_state (id, refreshed_at, took_ms) values (true, null, null)`.execute(db);

	await sql.raw(`
		create function report_periods(d date) returns table (kind text, start date) language sql immutable as $$
			values
				('academic', make_date(case when extract(month from d) >= 9 then extract(year from d)::int else extract(year from d)::int - 1 end, 9, 1)),
				('financial', make_date(case when extract(month from d) >= 4 then extract(year from d)::int else extract(year from d)::int - 1 end, 4, 1)),
				('quarter', date_trunc('quarter', d)::date)
		$$
	`).execute(db);

	await sql.raw(`
		create function rebuild_report_rollups() returns void language plpgsql as $$
		declare
			started timestamptz := clock_timestamp();
		begin
			-- One rebuild at a time, across every app process on the database.
			perform pg_advisory_xact_lock(hashtext('rebuild_report_rollups'));
			-- Dropped first as well as on commit: a transaction may rebuild more than once.
			drop table if exists rollup_part;
			drop table if exists rollup_ss;
			create temporary table rollup_part (like report_rollup including defaults) on commit drop;

			-- Per session and school: places booked, headcounts and named marks.
			create temporary table rollup_ss on commit drop as
			with parts as (
				select b.session_id, b.school_id, b.confirmed_places as places, 0 as young, 0 as parents, 0 as named, 0 as marks
				from booking b where b.status <> 'cancelled' and b.confirmed_places > 0
				union all
				select h.session_id, h.school_id, 0, case when h.year_group = 'parents' then 0 else h.count end,
					case when h.year_group = 'parents' then h.count else 0 end, 0, 0
				from attendance_headcount h
				union all
				select m.session_id, yp.school_id, 0, 0, 0, count(*) filter (where m.status in ('present', 'late')), count(*)
				from attendance_mark m join young_person yp on yp.id = m.young_person_id
				group by m.session_id, yp.school_id
			)
			select parts.session_id, parts.school_id, ps.programme_id, (ps.starts_at at time zone 'Europe/London')::date as day,
				ps.status <> 'cancelled' and ps.starts_at <= now() as delivered, ps.status = 'cancelled' as cancelled,
				sum(places)::int as places, sum(young)::int as young, sum(parents)::int as parents, sum(named)::int as named, sum(marks)::int as marks
			from parts join programme_session ps on ps.id = parts.session_id
			group by 1, 2, 3, 4, 5, 6;

			insert into rollup_part (period_kind, period_start, programme_id, school_id, places_booked, attended, expected,
				headcount_young_people, parents, schools_reached)
			select p.kind, p.start, coalesce(ss.programme_id, '${ALL}'), coalesce(ss.school_id, '${ALL}'),
				coalesce(sum(ss.places) filter (where ss.delivered), 0),
				coalesce(sum(ss.named + ss.young + ss.parents) filter (where ss.delivered), 0),
				coalesce(sum(case when ss.marks > 0 then ss.marks else ss.places end) filter (where ss.delivered), 0),
				coalesce(sum(ss.young) filter (where ss.delivered), 0),
				coalesce(sum(ss.parents) filter (where ss.delivered), 0),
				count(distinct ss.school_id) filter (where ss.delivered and ss.named + ss.young + ss.parents > 0)
			from rollup_ss ss cross join lateral report_periods(ss.day) p
			group by grouping sets ((p.kind, p.start, ss.programme_id, ss.school_id), (p.kind, p.start, ss.school_id),
				(p.kind, p.start, ss.programme_id), (p.kind, p.start));

			-- Sessions: by school, those the school booked or came to; for all schools, every one.
			insert into rollup_part (period_kind, period_start, programme_id, school_id, sessions_delivered, sessions_cancelled)
			select p.kind, p.start, coalesce(ss.programme_id, '${ALL}'), ss.school_id,
				count(distinct ss.session_id) filter (where ss.delivered), count(distinct ss.session_id) filter (where ss.cancelled)
			from rollup_ss ss cross join lateral report_periods(ss.day) p
			group by grouping sets ((p.kind, p.start, ss.programme_id, ss.school_id), (p.kind, p.start, ss.school_id));
			insert into rollup_part (period_kind, period_start, programme_id, school_id, sessions_delivered, sessions_cancelled)
			select p.kind, p.start, coalesce(ps.programme_id, '${ALL}'), '${ALL}',
				count(*) filter (where ps.status <> 'cancelled' and ps.starts_at <= now()), count(*) filter (where ps.status = 'cancelled')
			from programme_session ps cross join lateral report_periods((ps.starts_at at time zone 'Europe/London')::date) p
			group by grouping sets ((p.kind, p.start, ps.programme_id), (p.kind, p.start));

			-- Different young people who came.
			insert into rollup_part (period_kind, period_start, programme_id, school_id, named_young_people)
			select p.kind, p.start, coalesce(x.programme_id, '${ALL}'), coalesce(x.school_id, '${ALL}'), count(distinct x.young_person_id)
			from (
				select distinct ps.programme_id, yp.school_id, m.young_person_id, (ps.starts_at at time zone 'Europe/London')::date as day
				from attendance_mark m
				join programme_session ps on ps.id = m.session_id
				join young_person yp on yp.id = m.young_person_id
				where m.status in ('present', 'late')
			) x cross join lateral report_periods(x.day) p
			group by grouping sets ((p.kind, p.start, x.programme_id, x.school_id), (p.kind, p.start, x.school_id),
				(p.kind, p.start, x.programme_id), (p.kind, p.start));

			-- Carousel workstation visits, at delivered sessions.
			insert into rollup_part (period_kind, period_start, programme_id, school_id, station_visits)
			select p.kind, p.start, coalesce(ps.programme_id, '${ALL}'), coalesce(sh.school_id, '${ALL}'), sum(sh.count)
			from station_headcount sh
			join programme_session ps on ps.id = sh.session_id
			cross join lateral report_periods((ps.starts_at at time zone 'Europe/London')::date) p
			where ps.status <> 'cancelled' and ps.starts_at <= now()
			group by grouping sets ((p.kind, p.start, ps.programme_id, sh.school_id), (p.kind, p.start, sh.school_id),
				(p.kind, p.start, ps.programme_id), (p.kind, p.start));

			-- Mentoring meetings, by the mentee's school.
			insert into rollup_part (period_kind, period_start, programme_id, school_id, meetings, meeting_minutes, mentors, mentees)
			select p.kind, p.start, coalesce(c.programme_id, '${ALL}'), coalesce(yp.school_id, '${ALL}'),
				count(*), sum(mm.minutes), count(distinct mp.mentor_id), count(distinct mp.mentee_id)
			from mentoring_meeting mm
			join mentoring_pair mp on mp.id = mm.pair_id
			join mentoring_cohort c on c.id = mp.cohort_id
			join young_person yp on yp.id = mp.mentee_id
			cross join lateral report_periods(mm.met_on) p
			group by grouping sets ((p.kind, p.start, c.programme_id, yp.school_id), (p.kind, p.start, yp.school_id),
				(p.kind, p.start, c.programme_id), (p.kind, p.start));

			-- Awards signed off, by the date achieved.
			insert into rollup_part (period_kind, period_start, programme_id, school_id, discovery, explorer, conserver)
			select p.kind, p.start, coalesce(g.programme_id, '${ALL}'), coalesce(yp.school_id, '${ALL}'),
				count(*) filter (where ap.level = 'discovery'), count(*) filter (where ap.level = 'explorer'), count(*) filter (where ap.level = 'conserver')
			from award_participant ap
			join award_group g on g.id = ap.award_group_id
			join young_person yp on yp.id = ap.young_person_id
			cross join lateral report_periods(ap.achieved_on) p
			where ap.achieved_on is not null
			group by grouping sets ((p.kind, p.start, g.programme_id, yp.school_id), (p.kind, p.start, yp.school_id),
				(p.kind, p.start, g.programme_id), (p.kind, p.start));

			delete from report_rollup;
			insert into report_rollup
			select period_kind, period_start, programme_id, school_id,
				sum(sessions_delivered), sum(sessions_cancelled), sum(places_booked), sum(attended), sum(expected),
				sum(headcount_young_people), sum(parents), sum(schools_reached), sum(named_young_people), sum(station_visits),
				sum(meetings), sum(meeting_minutes), sum(mentors), sum(mentees), sum(discovery), sum(explorer), sum(conserver)
			from rollup_part
			group by 1, 2, 3, 4;
			update report_rollup_state set refreshed_at = clock_timestamp(), took_ms = (extract(epoch from clock_timestamp() - started) * 1000)::int;
		end $$
	`).execute(db);
	await sql`select rebuild_report_rollups()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`drop function rebuild_report_rollups()`.execute(db);
	await sql`drop function report_periods(date)`.execute(db);
	await db.schema.dropTable('report_rollup_state').execute();
	await db.schema.dropTable('report_rollup').execute();
}
