// A county-scale data set, generated inside PostgreSQL: 12 districts' worth of schools
// (600), 250,000 young people, five academic years (2021-22 to 2025-26) of sessions,
// bookings, headcounts, named marks (over 2,000,000), mentoring meetings, awards and
// before-and-after answers.
// Rows are made with generate_series so the load takes seconds, not the hours that
// row-by-row inserts through the app would; the report rollups are rebuilt once at the end
// (their triggers are off during the load) exactly as the app's migration builds them.
import { sql, type Kysely } from 'kysely';
import type { DB, YearGroup } from '../../lib/server/db/schema';

/**
 * BENCH_SCALE (default 1) shrinks the data set for a quick run: 0.1 is 60 schools and 25,000
 * young people with the same sessions per school, so about 210,000 marks.
 */
const scale = Math.min(1, Math.max(0.01, Number(process.env.BENCH_SCALE || 1) || 1));

export const COUNTY = {
	districts: 12,
	schoolsPerDistrict: Math.max(1, Math.round(50 * scale)),
	youngPeople: Math.round(250_000 * scale),
	firstYear: 2021,
	years: 5,
	/** Sessions a school holds each year with a class of its own: 28 × 25 marks × 600 × 5 ≈ 2.1M marks. */
	sessionsPerSchoolYear: 28,
	classSize: 25
} as const;

export interface CountyFigures {
	schools: number;
	youngPeople: number;
	sessions: number;
	marks: number;
	headcountRows: number;
	meetings: number;
	awards: number;
	answers: number;
	seconds: number;
}

/** Loads the data set. Temporary tables live on one connection, so everything runs on one. */
export async function generateCountyData(pool: Kysely<DB>, leadId: string): Promise<CountyFigures> {
	return pool.connection().execute((db) => generate(db, leadId));
}

async function generate(db: Kysely<DB>, leadId: string): Promise<CountyFigures> {
	const started = performance.now();
	const c = COUNTY;
	const schools = c.districts * c.schoolsPerDistrict;
	await sql`set session_replication_role = replica`.execute(db); // no triggers while loading
	await sql`
		insert into school (id, name, urn, phase, town)
		select gen_random_uuid(), 'County School ' || lpad(g::text, 3, '0'),
			lpad((700000 + g)::text, 6, '0'),
			case when g % 5 = 0 then 'secondary' else 'primary' end,
			(array['Dover', 'Deal', 'Sandwich', 'Rural'])[1 + g % 4]
		from generate_series(1, ${schools}::int) g
	`.execute(db);
	await sql`create temporary table bench_school as select id, (row_number() over (order by name) - 1)::int as n, phase from school where name like 'County School %'`.execute(
		db
	);

	// Young people spread evenly over the schools, in year groups that keep them in school for
	// the five years (Reception years from 2008 to 2020).
	await sql`
		insert into young_person (id, school_id, first_name, last_name, reception_year)
		select gen_random_uuid(), s.id, 'Pupil', 'County ' || g, 2008 + (g % 13)
		from generate_series(0, ${c.youngPeople - 1}::int) g
		join bench_school s on s.n = g % ${schools}::int
	`.execute(db);
	await sql`
		create temporary table bench_person as
		select yp.id, s.n as school_n, (row_number() over (partition by yp.school_id order by yp.id) - 1)::int as k,
			(count(*) over (partition by yp.school_id))::int as school_size
		from young_person yp join bench_school s on s.id = yp.school_id
	`.execute(db);
	await sql`create index on bench_person (school_n, k)`.execute(db);

	const programmes = await db
		.insertInto('programme')
		.values(
			(['event', 'carousel', 'cohort', 'award', 'workshop', 'event'] as const).map((shape, i) => ({
				name: `County programme ${i + 1} (${shape})`,
				shape,
				partnership_priority: 'Safer Communities' as const,
				year_groups: ['Y5', 'Y6', 'Y7', 'Y8', 'Y9', 'Y10'] as YearGroup[],
				register_kind: 'named' as const
			}))
		)
		.returning('id')
		.execute();
	const programmeIds = programmes.map((p) => p.id);

	// Each school's own sessions: one class each, spread over the school year's weekdays.
	await sql`
		create temporary table bench_session as
		select gen_random_uuid() as id, s.id as school_id, s.n as school_n, y, k,
			(${programmeIds}::uuid[])[1 + (s.n + k) % 6] as programme_id,
			(make_date(y, 9, 15) + ((k * 11 + s.n % 7) % 300))::timestamp + time '10:00' as local_start
		from bench_school s, generate_series(${c.firstYear}::int, ${c.firstYear + c.years - 1}::int) y, generate_series(0, ${c.sessionsPerSchoolYear - 1}::int) k
	`.execute(db);
	await sql`
		insert into programme_session (id, programme_id, starts_at, ends_at, venue, capacity, booking_opens_at, booking_closes_at, year_groups, status)
		select id, programme_id, local_start at time zone 'Europe/London', (local_start + interval '2 hours') at time zone 'Europe/London',
			'County venue', 30, (local_start - interval '60 days') at time zone 'Europe/London', (local_start - interval '2 days') at time zone 'Europe/London',
			array['Y5','Y6','Y7','Y8','Y9','Y10'], case when k % 40 = 39 then 'cancelled' else 'completed' end
		from bench_session
	`.execute(db);
	await sql`
		insert into booking (session_id, school_id, year_group, places, confirmed_places, status, contact_name, contact_phone, created_by, queued_at)
		select id, school_id, 'Y8', ${c.classSize + 3}, ${c.classSize + 3}, 'confirmed', 'School office', '01304 000000', ${leadId}, local_start - interval '30 days'
		from bench_session
	`.execute(db);
	await sql`
		insert into attendance_mark (session_id, young_person_id, status, recorded_by, recorded_at)
		select bs.id, p.id,
			(array['present','present','present','present','present','present','present','present','present','present','present','present','present','present','present','present','present','late','absent_authorised','absent_unauthorised'])[1 + (i * 7 + bs.k) % 20],
			${leadId}, bs.local_start + interval '3 hours'
		from bench_session bs
		join programme_session ps on ps.id = bs.id and ps.status = 'completed'
		cross join generate_series(0, ${c.classSize - 1}::int) i
		join bench_person p on p.school_n = bs.school_n and p.k = ((bs.k * ${c.classSize}::int + i + (bs.y - ${c.firstYear}::int) * 97) % p.school_size)
	`.execute(db);

	// A county-wide conference each year per district, counted by headcount from every school.
	await sql`
		create temporary table bench_event as
		select gen_random_uuid() as id, d, y, (make_date(y + 1, 3, 10) + d)::timestamp + time '09:00' as local_start
		from generate_series(0, ${c.districts - 1}::int) d, generate_series(${c.firstYear}::int, ${c.firstYear + c.years - 1}::int) y
	`.execute(db);
	await sql`
		insert into programme_session (id, programme_id, starts_at, ends_at, venue, capacity, booking_opens_at, booking_closes_at, year_groups, status)
		select id, ${programmeIds[0]!}, local_start at time zone 'Europe/London', (local_start + interval '6 hours') at time zone 'Europe/London', 'District hall', 2000,
			(local_start - interval '90 days') at time zone 'Europe/London', (local_start - interval '2 days') at time zone 'Europe/London', array['Y8'], 'completed'
		from bench_event
	`.execute(db);
	await sql`
		insert into booking (session_id, school_id, year_group, places, confirmed_places, status, contact_name, contact_phone, created_by, queued_at)
		select e.id, s.id, 'Y8', 40, 40, 'confirmed', 'School office', '01304 000000', ${leadId}, e.local_start - interval '60 days'
		from bench_event e join bench_school s on s.n / ${c.schoolsPerDistrict}::int = e.d
	`.execute(db);
	await sql`
		insert into attendance_headcount (session_id, school_id, year_group, count, recorded_by)
		select e.id, s.id, 'Y8', 30 + (s.n * 7 + e.y) % 11, ${leadId}
		from bench_event e join bench_school s on s.n / ${c.schoolsPerDistrict}::int = e.d
	`.execute(db);

	// Mentoring: a cohort a year; in every secondary school 3 mentors with 20 mentees each,
	// meeting six times.
	await sql`
		insert into mentoring_cohort (programme_id, academic_year)
		select ${programmeIds[2]!}, y from generate_series(${c.firstYear}::int, ${c.firstYear + c.years - 1}::int) y
	`.execute(db);
	await sql`
		insert into mentoring_pair (cohort_id, mentor_id, mentee_id, created_at)
		select mc.id, mentor.id, mentee.id, make_date(mc.academic_year, 9, 20)
		from mentoring_cohort mc
		join bench_school s on s.phase = 'secondary'
		cross join generate_series(0, 2) m
		join bench_person mentor on mentor.school_n = s.n and mentor.k = (m + (mc.academic_year - ${c.firstYear}::int) * 3)
		cross join generate_series(0, 19) j
		join bench_person mentee on mentee.school_n = s.n and mentee.k = 50 + m * 20 + j + (mc.academic_year - ${c.firstYear}::int) * 60
		where mc.programme_id = ${programmeIds[2]!}
	`.execute(db);
	await sql`
		insert into mentoring_meeting (pair_id, met_on, minutes, topics, recorded_by)
		select p.id, (p.created_at::date + 14 + k * 35), 30 + (k * 15) % 45, array['gangs','online_safety'], ${leadId}
		from mentoring_pair p cross join generate_series(0, 5) k
	`.execute(db);

	// Awards: a group per secondary school and year, 8 young people, all signed off.
	await sql`
		insert into award_group (programme_id, name)
		select ${programmeIds[3]!}, 'County group ' || s.n || ' ' || y
		from bench_school s, generate_series(${c.firstYear}::int, ${c.firstYear + c.years - 1}::int) y where s.phase = 'secondary'
	`.execute(db);
	await sql`
		insert into award_participant (award_group_id, young_person_id, level, signed_off_by, signed_off_at, achieved_on)
		select g.id, p.id, (array['discovery','discovery','explorer','conserver'])[1 + j % 4], ${leadId},
			make_date(split_part(g.name, ' ', 4)::int + 1, 6, 20), make_date(split_part(g.name, ' ', 4)::int + 1, 6, 20)
		from award_group g
		join bench_school s on g.name like 'County group ' || s.n || ' %'
		cross join generate_series(0, 7) j
		join bench_person p on p.school_n = s.n and p.k = 200 + j + (split_part(g.name, ' ', 4)::int - ${c.firstYear}::int) * 8
		where g.programme_id = ${programmeIds[3]!}
	`.execute(db);

	// Before-and-after questionnaires, three statements each: at every district conference 20
	// pupils of each school answer anonymously with codes (one in ten gives no after), and every
	// mentee answers by name when paired and 200 days later. 558,000 answers at full scale.
	await sql`
		insert into outcome_question (programme_id, position, wording)
		select p, g, 'County statement ' || g
		from unnest(${sql.val([programmeIds[0]!, programmeIds[2]!])}::uuid[]) p, generate_series(1, 3) g
	`.execute(db);
	await sql`
		create temporary table bench_questionnaire as
		select gen_random_uuid() as id, ${programmeIds[0]!}::uuid as programme_id, e.id as session_id, s.id as school_id, null::uuid as young_person_id,
			'S' || lpad(s.n::text, 3, '0') || lpad(j::text, 2, '0') as matching_code, m.moment, e.local_start::date as answered_on, e.y as academic_year,
			s.n * 31 + j as seed
		from bench_event e
		join bench_school s on s.n / ${c.schoolsPerDistrict}::int = e.d
		cross join generate_series(0, 19) j
		cross join (values ('before'), ('after')) as m(moment)
		where m.moment = 'before' or (s.n + j) % 10 <> 0
		union all
		select gen_random_uuid(), ${programmeIds[2]!}::uuid, null, mentee.school_id, mentee.id, null, m.moment,
			p.created_at::date + case when m.moment = 'after' then 200 else 0 end, mc.academic_year, k.n
		from mentoring_pair p
		join mentoring_cohort mc on mc.id = p.cohort_id
		join young_person mentee on mentee.id = p.mentee_id
		cross join (values ('before'), ('after')) as m(moment)
		cross join lateral (select abs(hashtext(mentee.id::text)) % 1000 as n) k
	`.execute(db);
	await sql`
		insert into outcome_questionnaire (id, programme_id, session_id, school_id, young_person_id, matching_code, moment, answered_on, academic_year, entered_by)
		select id, programme_id, session_id, school_id, young_person_id, matching_code, moment, answered_on, academic_year, ${leadId} from bench_questionnaire
	`.execute(db);
	await sql`
		insert into outcome_answer (questionnaire_id, question_id, score)
		select bq.id, q.id, least(5, 1 + (bq.seed + q.position) % 4 + case when bq.moment = 'after' then (bq.seed + q.position) % 3 else 0 end)
		from bench_questionnaire bq join outcome_question q on q.programme_id = bq.programme_id
	`.execute(db);

	await sql`set session_replication_role = origin`.execute(db);
	await sql`select rebuild_report_rollups()`.execute(db);
	await sql`select rebuild_outcome_rollup()`.execute(db);
	await sql`analyze`.execute(db);

	const count = async (table: keyof DB) =>
		Number(
			(
				await db
					.selectFrom(table)
					.select((eb) => eb.fn.countAll<number>().as('n'))
					.executeTakeFirstOrThrow()
			).n
		);
	return {
		schools: await count('school'),
		youngPeople: await count('young_person'),
		sessions: await count('programme_session'),
		marks: await count('attendance_mark'),
		headcountRows: await count('attendance_headcount'),
		meetings: await count('mentoring_meeting'),
		awards: await count('award_participant'),
		answers: await count('outcome_answer'),
		seconds: (performance.now() - started) / 1000
	};
}
