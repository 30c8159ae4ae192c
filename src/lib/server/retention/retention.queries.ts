import { sql } from 'kysely';
import type { Db } from '../db';

// Who is past their retention periods, and the free text anonymisation looks through.
//
// A young person's activity in a programme is anything dated that ties them to it: a mark at
// one of its sessions, their enrolment (its start and end), a mentoring pair or meeting in one
// of its cohorts, award days and the award itself, and a questionnaire with their name. Each
// programme keeps their personal data until 31 August of the academic year of their last
// activity in it plus its retention_years; the record itself counts as activity with the
// default 3 years (a pupil on a school's list who never came to anything). Due: every such
// date has passed.

const activity = sql`
	select m.young_person_id, s.programme_id, (s.starts_at at time zone 'Europe/London')::date as on_date
		from attendance_mark m join programme_session s on s.id = m.session_id
	union all select e.young_person_id, e.programme_id, coalesce(e.ended_on, e.started_on) from enrolment e
	union all select p.mentor_id, c.programme_id, coalesce(p.ended_on, (p.created_at at time zone 'Europe/London')::date)
		from mentoring_pair p join mentoring_cohort c on c.id = p.cohort_id
	union all select p.mentee_id, c.programme_id, coalesce(p.ended_on, (p.created_at at time zone 'Europe/London')::date)
		from mentoring_pair p join mentoring_cohort c on c.id = p.cohort_id
	union all select p.mentor_id, c.programme_id, mm.met_on
		from mentoring_meeting mm join mentoring_pair p on p.id = mm.pair_id join mentoring_cohort c on c.id = p.cohort_id
	union all select p.mentee_id, c.programme_id, mm.met_on
		from mentoring_meeting mm join mentoring_pair p on p.id = mm.pair_id join mentoring_cohort c on c.id = p.cohort_id
	union all select ap.young_person_id, g.programme_id, coalesce(ap.achieved_on, (ap.created_at at time zone 'Europe/London')::date)
		from award_participant ap join award_group g on g.id = ap.award_group_id
	union all select ap.young_person_id, g.programme_id, d.day
		from award_day d join award_participant ap on ap.id = d.award_participant_id join award_group g on g.id = ap.award_group_id
	union all select q.young_person_id, q.programme_id, q.answered_on from outcome_questionnaire q where q.young_person_id is not null`;

/** The 31 August ending the academic year of a date, plus some years. */
const keptUntil = (date: ReturnType<typeof sql>, years: ReturnType<typeof sql>) =>
	sql`make_date(extract(year from ${date})::int + (case when extract(month from ${date}) >= 9 then 1 else 0 end) + ${years}, 8, 31)`;

export const DEFAULT_RETENTION_YEARS = 3;

/**
 * The young people, not yet anonymised, past every period that keeps them on `today` (a UK
 * date): ids only, with the day their last period ended, oldest first.
 */
export async function listYoungPeopleDue(db: Db, today: string, limit?: number): Promise<{ id: string; kept_until: string }[]> {
	const result = await sql<{ id: string; kept_until: string }>`
		with last_activity as (
			select a.young_person_id, a.programme_id, max(a.on_date) as on_date from (${activity}) a group by 1, 2
		),
		kept as (
			select l.young_person_id, ${keptUntil(sql`l.on_date`, sql`p.retention_years`)} as until
				from last_activity l join programme p on p.id = l.programme_id
			union all
			select yp.id, ${keptUntil(sql`(yp.updated_at at time zone 'Europe/London')::date`, sql.lit(DEFAULT_RETENTION_YEARS))}
				from young_person yp where yp.anonymised_at is null
		)
		select k.young_person_id as id, to_char(max(k.until), 'YYYY-MM-DD') as kept_until
		from kept k join young_person yp on yp.id = k.young_person_id
		where yp.anonymised_at is null
		group by k.young_person_id
		having max(k.until) < ${today}::date
		order by max(k.until), k.young_person_id
		${limit === undefined ? sql`` : sql`limit ${limit}`}`.execute(db);
	return result.rows;
}

/**
 * Free text that may hold a young person's name, wherever it is, with the ids of the young
 * people each row is about (the audit row's subject, a meeting's pair) so their single names
 * can go too. The anonymisation's one reach into other rooms' tables: it rewrites free text in
 * place and nothing else.
 */
export const freeText = {
	audit_event: { key: 'id', keyType: 'bigint', columns: ['detail'], about: sql`array[entity_id::text]` },
	outbox_message: { key: 'id', keyType: 'uuid', columns: ['subject', 'body_text'], about: sql`array[]::text[]` },
	mentoring_meeting: {
		key: 'id',
		keyType: 'uuid',
		columns: ['note'],
		about: sql`(select array[p.mentor_id::text, p.mentee_id::text] from mentoring_pair p where p.id = t.pair_id)`
	},
	booking: { key: 'id', keyType: 'uuid', columns: ['class_names', 'access_needs'], about: sql`array[]::text[]` },
	pcc_narrative: { key: 'ctid', keyType: 'tid', columns: ['narrative'], about: sql`array[]::text[]` }
} as const;
export type FreeTextTable = keyof typeof freeText;

export interface FreeTextRow {
	key: string;
	about: string[] | null;
	texts: (string | null)[];
}

/**
 * The rows of a table whose free text contains one of these words (lower case), or every row
 * with any text when `words` is undefined (a run naming more people than a pattern list holds).
 */
export async function listFreeText(db: Db, table: FreeTextTable, words: readonly string[] | undefined): Promise<FreeTextRow[]> {
	const target = freeText[table];
	const texts = target.columns.map((c) => sql`${sql.ref(`t.${c}`)}::text`);
	const joined = sql`lower(concat_ws(' ', ${sql.join(texts)}))`;
	const filter = words === undefined ? sql`${joined} <> ''` : sql`${joined} like any(${words.map((w) => `%${w.replace(/[\\%_]/g, '\\$&')}%`)}::text[])`;
	const result = await sql<FreeTextRow>`
		select t.${sql.raw(target.key)}::text as key, ${target.about} as about, array[${sql.join(texts)}] as texts
		from ${sql.table(table)} t where ${filter}`.execute(db);
	return result.rows;
}

/** Writes a row's free text back, column by column in the order listFreeText read them. */
export async function updateFreeText(db: Db, table: FreeTextTable, key: string, texts: (string | null)[]): Promise<void> {
	const target = freeText[table];
	const sets = target.columns.map((c, i) => (c === 'detail' ? sql`${sql.ref(c)} = ${texts[i]}::jsonb` : sql`${sql.ref(c)} = ${texts[i]}`));
	// The audit log refuses changes unless the transaction says it is anonymising (migration 20261203T0900_retention).
	if (table === 'audit_event') await sql`select set_config('app.anonymising', 'on', true)`.execute(db);
	await sql`update ${sql.table(table)} set ${sql.join(sets)} where ${sql.raw(target.key)} = ${key}::${sql.raw(target.keyType)}`.execute(db);
	if (table === 'audit_event') await sql`select set_config('app.anonymising', 'off', true)`.execute(db);
}
