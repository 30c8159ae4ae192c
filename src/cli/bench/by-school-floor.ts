// The floor for the by-school report: the same figures, per school, counted by one hand-written
// SQL statement straight from the records (sessions, bookings, headcounts, named marks, station
// counts, meetings and awards), with no rollup. The definitions are those written at the top of
// src/lib/server/reports/reports.queries.ts; the benchmark checks that this statement and the
// rollup agree before it times either, so the floor is the same work done the plainest way.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../lib/server/db/schema';
import { addDays } from '../../lib/server/time';

export interface FloorRow {
	school_id: string;
	sessions_delivered: number;
	sessions_cancelled: number;
	places_booked: number;
	attended: number;
	expected: number;
	headcount_young_people: number;
	parents: number;
	professionals: number;
	schools_reached: number;
	named_young_people: number;
	station_visits: number;
	meetings: number;
	meeting_minutes: number;
	mentors: number;
	mentees: number;
	discovery: number;
	explorer: number;
	conserver: number;
}

/** One row per school with anything in the period (inclusive UK dates). */
export async function bySchoolFromRecords(db: Kysely<DB>, from: string, to: string): Promise<FloorRow[]> {
	const end = addDays(to, 1);
	const { rows } = await sql<FloorRow>`
		with s as (
			select ps.id, ps.status, ps.status <> 'cancelled' and ps.starts_at <= now() as delivered
			from programme_session ps
			where ps.starts_at >= (${from}::date::timestamp at time zone 'Europe/London')
				and ps.starts_at < (${end}::date::timestamp at time zone 'Europe/London')
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
			select p.session_id, p.school_id, s.delivered, s.status, sum(p.places) as places, sum(p.young) as young, sum(p.parents) as parents,
				sum(p.professionals) as professionals, sum(p.named) as named, sum(p.marks) as marks
			from parts p join s on s.id = p.session_id
			group by p.session_id, p.school_id, s.delivered, s.status
		),
		att as (
			select school_id,
				count(*) filter (where delivered)::int as sessions_delivered,
				count(*) filter (where status = 'cancelled')::int as sessions_cancelled,
				coalesce(sum(places) filter (where delivered), 0)::int as places_booked,
				coalesce(sum(named + young + parents + professionals) filter (where delivered), 0)::int as attended,
				coalesce(sum(case when marks > 0 then marks else places end) filter (where delivered), 0)::int as expected,
				coalesce(sum(young) filter (where delivered), 0)::int as headcount_young_people,
				coalesce(sum(parents) filter (where delivered), 0)::int as parents,
				coalesce(sum(professionals) filter (where delivered), 0)::int as professionals,
				(bool_or(delivered and named + young + parents > 0))::int as schools_reached
			from ss group by school_id
		),
		reach as (
			select yp.school_id, count(distinct m.young_person_id)::int as named_young_people
			from attendance_mark m
			join programme_session ps on ps.id = m.session_id
			join young_person yp on yp.id = m.young_person_id
			where counts_as_attended(m.status)
				and ps.starts_at >= (${from}::date::timestamp at time zone 'Europe/London')
				and ps.starts_at < (${end}::date::timestamp at time zone 'Europe/London')
			group by yp.school_id
		),
		st as (
			select sh.school_id, sum(sh.count)::int as station_visits
			from station_headcount sh join s on s.id = sh.session_id
			where s.delivered
			group by sh.school_id
		),
		me as (
			select yp.school_id, count(*)::int as meetings, sum(mm.minutes)::int as meeting_minutes,
				count(distinct p.mentor_id)::int as mentors, count(distinct p.mentee_id)::int as mentees
			from mentoring_meeting mm
			join mentoring_pair p on p.id = mm.pair_id
			join young_person yp on yp.id = p.mentee_id
			where mm.met_on >= ${from}::date and mm.met_on <= ${to}::date
			group by yp.school_id
		),
		aw as (
			select yp.school_id,
				(count(*) filter (where ap.level = 'discovery'))::int as discovery,
				(count(*) filter (where ap.level = 'explorer'))::int as explorer,
				(count(*) filter (where ap.level = 'conserver'))::int as conserver
			from award_participant ap join young_person yp on yp.id = ap.young_person_id
			where ap.achieved_on >= ${from}::date and ap.achieved_on <= ${to}::date
			group by yp.school_id
		)
		select sc.id::text as school_id,
			coalesce(att.sessions_delivered, 0) as sessions_delivered, coalesce(att.sessions_cancelled, 0) as sessions_cancelled,
			coalesce(att.places_booked, 0) as places_booked, coalesce(att.attended, 0) as attended, coalesce(att.expected, 0) as expected,
			coalesce(att.headcount_young_people, 0) as headcount_young_people, coalesce(att.parents, 0) as parents,
			coalesce(att.professionals, 0) as professionals, coalesce(att.schools_reached, 0) as schools_reached,
			coalesce(reach.named_young_people, 0) as named_young_people, coalesce(st.station_visits, 0) as station_visits,
			coalesce(me.meetings, 0) as meetings, coalesce(me.meeting_minutes, 0) as meeting_minutes,
			coalesce(me.mentors, 0) as mentors, coalesce(me.mentees, 0) as mentees,
			coalesce(aw.discovery, 0) as discovery, coalesce(aw.explorer, 0) as explorer, coalesce(aw.conserver, 0) as conserver
		from school sc
		left join att on att.school_id = sc.id
		left join reach on reach.school_id = sc.id
		left join st on st.school_id = sc.id
		left join me on me.school_id = sc.id
		left join aw on aw.school_id = sc.id
		where att.school_id is not null or reach.school_id is not null or st.school_id is not null or me.school_id is not null or aw.school_id is not null
	`.execute(db);
	return rows;
}
