import { sql } from 'kysely';
import type { Db } from '../db';
import type { FeedbackMoment } from '../db/schema';
import { distributionOf, SCORES, type Distribution } from './workshop-feedback.rules';

export async function listFeedback(db: Db, sessionId: string) {
	return db
		.selectFrom('workshop_feedback')
		.select(['moment', 'score', 'count'])
		.where('session_id', '=', sessionId)
		.orderBy('moment')
		.orderBy('score')
		.execute();
}

/** Parents and carers counted at a session, over every school; null when none is recorded. */
export async function findParentsHeadcount(db: Db, sessionId: string): Promise<number | null> {
	const row = await db
		.selectFrom('attendance_headcount')
		.select(sql<number | null>`sum(count)::int`.as('n'))
		.where('session_id', '=', sessionId)
		.where('year_group', '=', 'parents')
		.executeTakeFirst();
	return row?.n ?? null;
}

/** Stores one moment's five counts, replacing any saved; an unchanged count keeps who recorded it. */
export async function upsertMoment(db: Db, sessionId: string, moment: FeedbackMoment, counts: readonly number[], recordedBy: string, at: Date): Promise<void> {
	await db
		.insertInto('workshop_feedback')
		.values(SCORES.map((score, i) => ({ session_id: sessionId, moment, score, count: counts[i]!, recorded_by: recordedBy, recorded_at: at })))
		.onConflict((oc) =>
			oc
				.columns(['session_id', 'moment', 'score'])
				.doUpdateSet((eb) => ({
					count: eb.ref('excluded.count'),
					recorded_by: eb.ref('excluded.recorded_by'),
					recorded_at: eb.ref('excluded.recorded_at')
				}))
				.where(sql<boolean>`workshop_feedback.count is distinct from excluded.count`)
		)
		.execute();
}

export async function deleteMoment(db: Db, sessionId: string, moment: FeedbackMoment): Promise<void> {
	await db.deleteFrom('workshop_feedback').where('session_id', '=', sessionId).where('moment', '=', moment).execute();
}

export interface WorkshopFeedbackTotal {
	sessionId: string;
	programmeId: string;
	startsAt: Date;
	/** Parents and carers counted from each school (the register's `parents` headcount). */
	schools: { schoolId: string; parents: number }[];
	/** All parents and carers counted at the workshop; null when no headcount is recorded. */
	parents: number | null;
	/** The anonymous answers, for the workshop as a whole: they are not kept per school. */
	before: Distribution | null;
	after: Distribution | null;
}

/**
 * The confidence question's answers at every workshop-shaped session starting in [from, to),
 * not cancelled, of the given programmes (all when not given), oldest first, with the parents
 * and carers each school brought. Counts only: nobody is named. It does not authorise: the
 * caller (a report) decides who may see it and suppresses small counts.
 */
export async function workshopFeedbackTotals(db: Db, filter: { from: Date; to: Date; programmeIds?: readonly string[] }): Promise<WorkshopFeedbackTotal[]> {
	if (filter.programmeIds?.length === 0) return [];
	let sessionsQuery = db
		.selectFrom('programme_session as s')
		.innerJoin('programme as p', 'p.id', 's.programme_id')
		.select(['s.id', 's.programme_id', 's.starts_at'])
		.where('p.shape', '=', 'workshop')
		.where('s.status', '<>', 'cancelled')
		.where('s.starts_at', '>=', filter.from)
		.where('s.starts_at', '<', filter.to);
	if (filter.programmeIds) sessionsQuery = sessionsQuery.where('s.programme_id', 'in', filter.programmeIds);
	const sessions = await sessionsQuery.orderBy('s.starts_at').orderBy('s.id').execute();
	if (sessions.length === 0) return [];
	const ids = sessions.map((s) => s.id);
	const answers = await db.selectFrom('workshop_feedback').select(['session_id', 'moment', 'score', 'count']).where('session_id', 'in', ids).execute();
	const parents = await db
		.selectFrom('attendance_headcount')
		.select(['session_id', 'school_id', 'count'])
		.where('session_id', 'in', ids)
		.where('year_group', '=', 'parents')
		.orderBy('session_id')
		.orderBy('school_id')
		.execute();
	return sessions.map((s) => {
		const schools = parents.filter((p) => p.session_id === s.id).map((p) => ({ schoolId: p.school_id, parents: p.count }));
		const mine = answers.filter((a) => a.session_id === s.id);
		return {
			sessionId: s.id,
			programmeId: s.programme_id,
			startsAt: s.starts_at,
			schools,
			parents: schools.length === 0 ? null : schools.reduce((sum, school) => sum + school.parents, 0),
			before: distributionOf(mine.filter((a) => a.moment === 'before')),
			after: distributionOf(mine.filter((a) => a.moment === 'after'))
		};
	});
}
