import { sql, type Insertable, type Transaction, type Updateable } from 'kysely';
import type { Db } from '../db';
import type { DB, YoungPersonTable } from '../db/schema';

const columns = [
	'id',
	'school_id',
	'first_name',
	'last_name',
	'reception_year',
	'gender',
	'sen',
	'free_school_meals',
	'archived_at',
	'anonymised_at',
	'updated_at'
] as const;

/** 8 columns a row: 1,000 rows stay far below PostgreSQL's 65,535 parameters a statement. */
const INSERT_CHUNK = 1000;

export async function findYoungPerson(db: Db, id: string) {
	return db.selectFrom('young_person').select(columns).where('id', '=', id).executeTakeFirst();
}

export interface YoungPeopleFilter {
	/** Matched against the stored search key: any case, accents and punctuation. */
	search?: string;
	/** Those in Reception in these academic years or between (left school before the first). */
	minReceptionYear?: number;
	maxReceptionYear?: number;
	/** Archived young people too (left out unless asked for). */
	includeArchived?: boolean;
}

function youngPeopleOfSchool(db: Db, schoolId: string, filter: YoungPeopleFilter) {
	let query = db.selectFrom('young_person').where('school_id', '=', schoolId);
	if (!filter.includeArchived) query = query.where('archived_at', 'is', null);
	if (filter.minReceptionYear !== undefined) query = query.where('reception_year', '>=', filter.minReceptionYear);
	if (filter.maxReceptionYear !== undefined) query = query.where('reception_year', '<=', filter.maxReceptionYear);
	if (filter.search) query = query.where(sql<boolean>`search_key like '%' || search_key(${filter.search}) || '%'`);
	return query;
}

export async function countYoungPeopleOfSchool(db: Db, schoolId: string, filter: YoungPeopleFilter = {}): Promise<number> {
	const row = await youngPeopleOfSchool(db, schoolId, filter)
		.select((eb) => eb.fn.countAll<string | number>().as('n'))
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/** The school's list (archived young people left out unless asked for), by last then first name; a page of it when given one. */
export async function listYoungPeopleOfSchool(db: Db, schoolId: string, filter: YoungPeopleFilter = {}, page?: { limit: number; offset: number }) {
	const query = youngPeopleOfSchool(db, schoolId, filter)
		.select(columns)
		.orderBy(sql`lower(last_name)`)
		.orderBy(sql`lower(first_name)`)
		.orderBy('id');
	return (page ? query.limit(page.limit).offset(page.offset) : query).execute();
}

/** The school's archived young people with these names, compared by search key (case, accents, punctuation), most recently archived first. */
export async function listArchivedNameMatches(db: Db, schoolId: string, firstName: string, lastName: string) {
	return db
		.selectFrom('young_person')
		.select(columns)
		.where('school_id', '=', schoolId)
		.where('archived_at', 'is not', null)
		.where('anonymised_at', 'is', null)
		.where(sql<boolean>`search_key(first_name) = search_key(${firstName})`)
		.where(sql<boolean>`search_key(last_name) = search_key(${lastName})`)
		.orderBy('archived_at', 'desc')
		.orderBy('id')
		.execute();
}

/** The school's archived young people with their names' search keys, to match an imported file against. */
export async function listArchivedForMatching(db: Db, schoolId: string) {
	return db
		.selectFrom('young_person')
		.select(['id', sql<string>`search_key(first_name)`.as('first_key'), sql<string>`search_key(last_name)`.as('last_key')])
		.where('school_id', '=', schoolId)
		.where('archived_at', 'is not', null)
		.orderBy('archived_at', 'desc')
		.orderBy('id')
		.execute();
}

/** Names and Reception years of a school's current young people, to match against. */
export async function listYoungPeopleForMatching(db: Db, schoolId: string) {
	return db
		.selectFrom('young_person')
		.select(['id', 'first_name', 'last_name', 'reception_year'])
		.where('school_id', '=', schoolId)
		.where('archived_at', 'is', null)
		.execute();
}

/** Holds the school's row until commit, so two changes to one school's list take turns. */
export async function lockSchool(trx: Transaction<DB>, schoolId: string) {
	return trx.selectFrom('school').select('id').where('id', '=', schoolId).forUpdate().executeTakeFirst();
}

/** A young person as saved now, their row locked until the transaction ends. */
export async function lockYoungPerson(trx: Transaction<DB>, id: string) {
	return trx.selectFrom('young_person').select(columns).where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function insertYoungPerson(db: Db, row: Insertable<YoungPersonTable>) {
	return db.insertInto('young_person').values(row).returning('id').executeTakeFirstOrThrow();
}

/** Many young people in as few statements as the parameter limit allows; returns how many. */
export async function insertYoungPeople(db: Db, rows: Insertable<YoungPersonTable>[]): Promise<number> {
	for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
		await db
			.insertInto('young_person')
			.values(rows.slice(i, i + INSERT_CHUNK))
			.execute();
	}
	return rows.length;
}

export async function updateYoungPerson(db: Db, id: string, changes: Updateable<YoungPersonTable>) {
	await db
		.updateTable('young_person')
		.set({ ...changes, updated_at: new Date() })
		.where('id', '=', id)
		.execute();
}

// A programme lead's reach (which schools and young people they may keep) is asked in
// auth/access.queries.ts, for the rules in auth/policy.ts.

/** One young person, archived or not, with their school's name. */
export async function findYoungPersonWithSchool(db: Db, id: string) {
	return db
		.selectFrom('young_person')
		.innerJoin('school', 'school.id', 'young_person.school_id')
		.select([...columns.map((c) => `young_person.${c}` as const), 'school.name as school_name'])
		.where('young_person.id', '=', id)
		.executeTakeFirst();
}

/** The programmes a lead leads, to narrow a young person's history to them. */
function programmesLedBy(db: Db, leadId: string) {
	return db.selectFrom('programme_lead').select('programme_lead.programme_id').where('programme_lead.user_id', '=', leadId);
}

// The history below is every programme's for admins and school contacts (leadId undefined),
// and only their own programmes' for a lead.

export async function listEnrolmentsOfYoungPerson(db: Db, youngPersonId: string, leadId?: string) {
	return db
		.selectFrom('enrolment')
		.innerJoin('programme', 'programme.id', 'enrolment.programme_id')
		.select([
			'enrolment.id',
			'enrolment.programme_id',
			'programme.name as programme_name',
			'enrolment.role',
			'enrolment.stage',
			'enrolment.started_on',
			'enrolment.ended_on'
		])
		.where('enrolment.young_person_id', '=', youngPersonId)
		.$if(leadId !== undefined, (qb) => qb.where('enrolment.programme_id', 'in', programmesLedBy(db, leadId!)))
		.orderBy('enrolment.started_on', 'desc')
		.orderBy('programme.name')
		.execute();
}

export async function listMarksOfYoungPerson(db: Db, youngPersonId: string, leadId?: string) {
	return db
		.selectFrom('attendance_mark')
		.innerJoin('programme_session', 'programme_session.id', 'attendance_mark.session_id')
		.innerJoin('programme', 'programme.id', 'programme_session.programme_id')
		.leftJoin('station', 'station.id', 'attendance_mark.station_id')
		.select([
			'attendance_mark.session_id',
			'programme_session.starts_at',
			'programme_session.programme_id',
			'programme.name as programme_name',
			'station.name as station_name',
			'attendance_mark.status'
		])
		.where('attendance_mark.young_person_id', '=', youngPersonId)
		.$if(leadId !== undefined, (qb) => qb.where('programme_session.programme_id', 'in', programmesLedBy(db, leadId!)))
		.orderBy('programme_session.starts_at', 'desc')
		.execute();
}

/** Award progress with the level's label as its programme names it (if it renamed it) and the days logged. */
export async function listAwardsOfYoungPerson(db: Db, youngPersonId: string, leadId?: string) {
	return db
		.selectFrom('award_participant')
		.innerJoin('award_group', 'award_group.id', 'award_participant.award_group_id')
		.innerJoin('programme', 'programme.id', 'award_group.programme_id')
		.leftJoin('award_level', (join) =>
			join.onRef('award_level.programme_id', '=', 'award_group.programme_id').onRef('award_level.code', '=', 'award_participant.level')
		)
		.select([
			'award_participant.id',
			'award_group.programme_id',
			'programme.name as programme_name',
			'award_group.name as group_name',
			'award_participant.level',
			'award_level.label as level_label',
			'award_participant.achieved_on',
			sql<number>`(select count(*)::int from award_day where award_day.award_participant_id = award_participant.id)`.as('days')
		])
		.where('award_participant.young_person_id', '=', youngPersonId)
		.$if(leadId !== undefined, (qb) => qb.where('award_group.programme_id', 'in', programmesLedBy(db, leadId!)))
		.orderBy('award_participant.created_at', 'desc')
		.execute();
}

/** What an anonymised young person is called: enough for a register or a pair to read, nothing about who they were. */
export const ANONYMISED_NAMES = { first_name: 'Anonymised', last_name: 'young person' } as const;

/**
 * Removes the names and monitoring answers of these young people (not yet anonymised), takes
 * them off every list, and stamps them; school, Reception year and every row pointing at them
 * stay, so figures are unchanged. Returns the ids it changed, with the names they had (for the
 * caller to find elsewhere), never logged.
 */
export async function anonymiseYoungPeople(db: Db, ids: readonly string[], now: Date) {
	if (ids.length === 0) return [];
	return db
		.with('before', (qb) =>
			qb.selectFrom('young_person').select(['id', 'first_name', 'last_name']).where('id', 'in', ids).where('anonymised_at', 'is', null).forUpdate()
		)
		.updateTable('young_person')
		.from('before')
		.set({
			...ANONYMISED_NAMES,
			gender: null,
			sen: null,
			free_school_meals: null,
			anonymised_at: now,
			archived_at: sql`coalesce(young_person.archived_at, ${now})`,
			updated_at: now
		})
		.whereRef('young_person.id', '=', 'before.id')
		.returning(['before.id', 'before.first_name', 'before.last_name'])
		.execute();
}
