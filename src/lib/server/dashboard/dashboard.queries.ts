import { sql } from 'kysely';
import type { Db } from '../db';

// What the dashboard's "What needs doing" counts that is not a session's: mentoring pairs, awards
// to sign off, invitations, emails and schools. The sessions' to-dos are counted where the
// sessions list filters by them (sessions.queries.ts countSessionNeeds). Every function is given
// the moment or the UK day it counts at, so tests can fix the clock.

/**
 * Pairs still running in these programmes' cohorts whose academic year holds `today`, that have
 * not met on or after `since` (only meetings up to `today` count; a pair that never met counts
 * from the day it was made), by cohort. A finished cohort's pairs are not waiting for anything:
 * no meeting can be logged in it (mentoring.service.ts cohortFinished).
 */
export async function countPairsNotMetByCohort(db: Db, programmeIds: readonly string[], today: string, since: string) {
	if (programmeIds.length === 0) return [];
	const lastMet = sql<string>`coalesce(
		(select max(m.met_on) from mentoring_meeting m where m.pair_id = pair.id and m.met_on <= ${today}::date),
		(pair.created_at at time zone 'Europe/London')::date
	)`;
	return db
		.selectFrom('mentoring_pair as pair')
		.innerJoin('mentoring_cohort as cohort', 'cohort.id', 'pair.cohort_id')
		.select(['cohort.id as cohort_id', 'cohort.programme_id', sql<number>`count(*)::int`.as('count')])
		.where('cohort.programme_id', 'in', programmeIds)
		.where(sql<boolean>`make_date(cohort.academic_year, 9, 1) <= ${today}::date`)
		.where(sql<boolean>`make_date(cohort.academic_year + 1, 8, 31) >= ${today}::date`)
		.where('pair.ended_on', 'is', null)
		.where(sql<boolean>`${lastMet} <= ${since}::date`)
		.groupBy(['cohort.id', 'cohort.programme_id'])
		.orderBy('cohort.academic_year')
		.execute();
}

/** These programmes' award participants not yet signed off, with the days they have logged, for the award rules to judge. */
export async function listAwardsNotSignedOff(db: Db, programmeIds: readonly string[]) {
	if (programmeIds.length === 0) return [];
	return db
		.selectFrom('award_participant as ap')
		.innerJoin('award_group as g', 'g.id', 'ap.award_group_id')
		.select([
			'ap.id',
			'ap.level',
			'g.id as group_id',
			'g.programme_id',
			sql<{ day: string; challenges: string[] }[]>`coalesce(
				(select json_agg(json_build_object('day', d.day::text, 'challenges', d.challenges) order by d.day) from award_day d where d.award_participant_id = ap.id),
				'[]'::json
			)`.as('days')
		])
		.where('g.programme_id', 'in', programmeIds)
		.where('ap.achieved_on', 'is', null)
		.execute();
}

/** Invited users who have not set their password: with a link still usable at `now`, and with only expired or used ones. */
export async function countUnacceptedInvitations(db: Db, now: Date): Promise<{ waiting: number; expired: number }> {
	const live = sql<boolean>`exists (
		select 1 from user_token t where t.user_id = u.id and t.purpose = 'invitation' and t.used_at is null and t.expires_at > ${now}
	)`;
	const row = await db
		.selectFrom('app_user as u')
		.select([sql<number>`(count(*) filter (where ${live}))::int`.as('waiting'), sql<number>`(count(*) filter (where not ${live}))::int`.as('expired')])
		.where('u.status', '=', 'invited')
		.executeTakeFirstOrThrow();
	return row;
}

/** Emails the sender gave up on. */
export async function countFailedEmails(db: Db): Promise<number> {
	const row = await db
		.selectFrom('outbox_message')
		.select(sql<number>`count(*)::int`.as('n'))
		.where('status', '=', 'failed')
		.executeTakeFirstOrThrow();
	return row.n;
}

/** Upcoming sessions, not cancelled, at which this school holds a booking that is not cancelled. */
export async function countUpcomingBookedSessions(db: Db, schoolId: string, now: Date): Promise<number> {
	const row = await db
		.selectFrom('programme_session as s')
		.select(sql<number>`count(*)::int`.as('n'))
		.where('s.status', '=', 'scheduled')
		.where('s.starts_at', '>', now)
		.where(sql<boolean>`exists (select 1 from booking b where b.session_id = s.id and b.school_id = ${schoolId} and b.status <> 'cancelled')`)
		.executeTakeFirstOrThrow();
	return row.n;
}
