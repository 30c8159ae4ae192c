import { sql, type Insertable, type Transaction, type Updateable } from 'kysely';
import type { Db } from '../db';
import type { DB, ProgrammeSessionTable, SessionStatus, YearGroup } from '../db/schema';

/** Sessions with their programme and how many places are taken, waited for and asked for. */
function sessionsWithPlaces(db: Db) {
	return db
		.selectFrom('programme_session as s')
		.innerJoin('programme as p', 'p.id', 's.programme_id')
		.leftJoin('booking as b', 'b.session_id', 's.id')
		.select([
			's.id',
			's.programme_id',
			's.starts_at',
			's.ends_at',
			's.venue',
			's.capacity',
			's.booking_opens_at',
			's.booking_closes_at',
			's.year_groups',
			's.school_cap',
			's.requires_approval',
			's.status',
			's.rotation_minutes',
			'p.name as programme_name',
			'p.shape',
			'p.register_kind'
		])
		.select([
			sql<number>`coalesce(sum(b.confirmed_places) filter (where b.status in ('confirmed', 'waitlisted')), 0)::int`.as('confirmed'),
			sql<number>`coalesce(sum(b.places - b.confirmed_places) filter (where b.status = 'waitlisted'), 0)::int`.as('waiting'),
			sql<number>`coalesce(sum(b.places) filter (where b.status = 'requested'), 0)::int`.as('requested')
		])
		.groupBy(['s.id', 'p.id']);
}

export async function findSessionSummary(db: Db, id: string) {
	return sessionsWithPlaces(db).where('s.id', '=', id).executeTakeFirst();
}

export interface SessionFilter {
	programmeIds?: string[];
	programmeId?: string;
	/** Only sessions open to one of these year groups. */
	yearGroups?: readonly YearGroup[];
	from?: Date;
	to?: Date;
	statuses?: SessionStatus[];
	/** Only sessions with this to-do waiting (the dashboard's links): see sessionNeeds. */
	need?: SessionNeedFilter;
}

/** What a session can be waiting for from its lead; the dashboard counts them and the sessions list filters by them. */
export const sessionNeeds = ['register', 'requests', 'waiting', 'places', 'questionnaires'] as const;
export type SessionNeed = (typeof sessionNeeds)[number];
export interface SessionNeedFilter {
	need: SessionNeed;
	now: Date;
	/** The end of "the next 7 days", for `places`. */
	until: Date;
}

/**
 * The condition, on `programme_session as s`, that a session is waiting for this:
 * - register: started, not cancelled, and nothing recorded (no named mark, no headcount, no station count);
 * - requests: still to come, with a booking request waiting for approval;
 * - waiting: still to come, with a waiting list and places free (a school waiting for all its places at once);
 * - places: starting between now and `until` with places left;
 * - questionnaires: a questionnaire code still open (not closed, not expired).
 */
function needCondition({ need, now, until }: SessionNeedFilter) {
	const confirmed = sql`(select coalesce(sum(b.confirmed_places), 0) from booking b where b.session_id = s.id and b.status in ('confirmed', 'waitlisted'))`;
	switch (need) {
		case 'register':
			return sql<boolean>`s.status <> 'cancelled' and s.starts_at <= ${now}
				and not exists (select 1 from attendance_mark m where m.session_id = s.id)
				and not exists (select 1 from attendance_headcount h where h.session_id = s.id)
				and not exists (select 1 from station_headcount sh where sh.session_id = s.id)`;
		case 'requests':
			return sql<boolean>`s.status = 'scheduled' and s.starts_at > ${now}
				and exists (select 1 from booking b where b.session_id = s.id and b.status = 'requested')`;
		case 'waiting':
			return sql<boolean>`s.status = 'scheduled' and s.starts_at > ${now}
				and exists (select 1 from booking b where b.session_id = s.id and b.status = 'waitlisted')
				and s.capacity > ${confirmed}`;
		case 'places':
			return sql<boolean>`s.status = 'scheduled' and s.starts_at > ${now} and s.starts_at < ${until} and s.capacity > ${confirmed}`;
		case 'questionnaires':
			return sql<boolean>`exists (select 1 from outcome_session_code c where c.session_id = s.id and c.closed_at is null and c.expires_at > ${now})`;
	}
}

/** How many of these programmes' sessions wait for each thing, and how many booking requests wait. */
export async function countSessionNeeds(
	db: Db,
	programmeIds: readonly string[],
	now: Date,
	until: Date
): Promise<Record<SessionNeed, number> & { requestedBookings: number }> {
	const counts = { register: 0, requests: 0, waiting: 0, places: 0, questionnaires: 0, requestedBookings: 0 };
	if (programmeIds.length === 0) return counts;
	const row = await db
		.selectFrom('programme_session as s')
		.where('s.programme_id', 'in', programmeIds)
		.select([
			...sessionNeeds.map((need) => sql<number>`(count(*) filter (where ${needCondition({ need, now, until })}))::int`.as(need)),
			sql<number>`coalesce(sum((select count(*) from booking b where b.session_id = s.id and b.status = 'requested')) filter (where ${needCondition({ need: 'requests', now, until })}), 0)::int`.as(
				'requestedBookings'
			)
		])
		.executeTakeFirstOrThrow();
	return { ...counts, ...row };
}

export async function listSessions(db: Db, filter: SessionFilter) {
	let query = sessionsWithPlaces(db);
	if (filter.programmeIds) {
		if (filter.programmeIds.length === 0) return [];
		query = query.where('s.programme_id', 'in', filter.programmeIds);
	}
	if (filter.programmeId) query = query.where('s.programme_id', '=', filter.programmeId);
	if (filter.yearGroups) query = query.where(sql<boolean>`s.year_groups && ${sql.val(filter.yearGroups)}::text[]`);
	if (filter.from) query = query.where('s.ends_at', '>', filter.from);
	if (filter.to) query = query.where('s.starts_at', '<', filter.to);
	if (filter.statuses) query = query.where('s.status', 'in', filter.statuses);
	if (filter.need) query = query.where(needCondition(filter.need));
	return query.orderBy('s.starts_at').orderBy('p.name').limit(500).execute();
}

/** The programme's sessions (not cancelled) starting at any of these instants at this venue: a second would be a duplicate. */
export async function listDuplicateSessions(db: Db, programmeId: string, venue: string, startsAt: Date[], exceptId?: string) {
	if (startsAt.length === 0) return [];
	let query = db
		.selectFrom('programme_session')
		.select(['id', 'starts_at', 'venue'])
		.where('programme_id', '=', programmeId)
		.where('status', '<>', 'cancelled')
		.where(sql<boolean>`lower(trim(venue)) = lower(trim(${venue}))`)
		.where('starts_at', 'in', startsAt);
	if (exceptId) query = query.where('id', '<>', exceptId);
	return query.orderBy('starts_at').execute();
}

export async function insertSessions(db: Db, sessions: Insertable<ProgrammeSessionTable>[]) {
	return db.insertInto('programme_session').values(sessions).returning('id').execute();
}

export async function updateSession(db: Db, id: string, changes: Updateable<ProgrammeSessionTable>) {
	await db
		.updateTable('programme_session')
		.set({ ...changes, updated_at: new Date() })
		.where('id', '=', id)
		.execute();
}

/** Locks a session row until the transaction ends: bookings of it then queue behind each other. */
export async function lockSession(trx: Transaction<DB>, id: string) {
	return trx
		.selectFrom('programme_session')
		.select([
			'id',
			'programme_id',
			'starts_at',
			'ends_at',
			'capacity',
			'booking_opens_at',
			'booking_closes_at',
			'year_groups',
			'school_cap',
			'requires_approval',
			'status',
			'venue',
			'rotation_minutes',
			'updated_at'
		])
		.where('id', '=', id)
		.forUpdate()
		.executeTakeFirst();
}

export async function listStations(db: Db, sessionId: string) {
	return db.selectFrom('station').select(['id', 'position', 'name', 'theme', 'places']).where('session_id', '=', sessionId).orderBy('position').execute();
}

export async function replaceStations(db: Db, sessionId: string, stations: { name: string; theme: string; places: number }[]) {
	await db.deleteFrom('station').where('session_id', '=', sessionId).execute();
	if (stations.length === 0) return;
	await db
		.insertInto('station')
		.values(stations.map((s, position) => ({ ...s, position, session_id: sessionId })))
		.execute();
}

/** The workstations of several sessions by id and name, in order: the registers a day holds. */
export async function listStationRegisters(db: Db, sessionIds: string[]) {
	if (sessionIds.length === 0) return [];
	return db
		.selectFrom('station')
		.select(['id', 'session_id', 'name'])
		.where('session_id', 'in', sessionIds)
		.orderBy('session_id')
		.orderBy('position')
		.execute();
}

/** The workstations of several sessions, for copying them. */
export async function listStationsOfSessions(db: Db, sessionIds: string[]) {
	if (sessionIds.length === 0) return [];
	return db
		.selectFrom('station')
		.select(['session_id', 'position', 'name', 'theme', 'places'])
		.where('session_id', 'in', sessionIds)
		.orderBy('session_id')
		.orderBy('position')
		.execute();
}

export async function insertStations(db: Db, stations: { session_id: string; position: number; name: string; theme: string; places: number }[]) {
	if (stations.length === 0) return;
	await db.insertInto('station').values(stations).execute();
}

/** Holds the programme row until the transaction ends: two copies of one week then queue, and the second finds the first's sessions. */
export async function lockProgrammeForScheduling(trx: Transaction<DB>, programmeId: string) {
	await trx.selectFrom('programme').select('id').where('id', '=', programmeId).forUpdate().executeTakeFirst();
}
