import { sql, type Kysely } from 'kysely';

// Before-and-after outcome questions. Each programme has an ordered set of short statements
// answered on a 1-5 agreement scale; a questionnaire is one person's answers at one moment
// (before or after), either named (an enrolled young person, entered by a lead) or anonymous
// with a matching code the young person makes up. Young people give no names and no free
// text here. Session codes let young people answer on the public form at /q for a while.

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('outcome_question')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('programme_id', 'uuid', (c) => c.notNull().references('programme.id'))
		.addColumn('position', 'integer', (c) => c.notNull().check(sql`position > 0`))
		.addColumn('wording', 'text', (c) => c.notNull().check(sql`length(wording) between 1 and 200`))
		// A question whose wording was changed after it had answers is retired and replaced by a
		// new one, so answers are only ever compared with answers to the same words.
		.addColumn('replaces_id', 'uuid', (c) => c.references('outcome_question.id'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('retired_at', 'timestamptz')
		.execute();
	await db.schema.createIndex('outcome_question_programme_id_idx').on('outcome_question').columns(['programme_id', 'position']).execute();
	await db.schema.createIndex('outcome_question_replaces_id_idx').on('outcome_question').column('replaces_id').execute();

	await db.schema
		.createTable('outcome_session_code')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('session_id', 'uuid', (c) => c.notNull().references('programme_session.id'))
		// Shown on a screen to a room of young people, so kept as typed: it is not a password.
		.addColumn('code', 'text', (c) => c.notNull().unique().check(sql`code ~ '^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}$'`))
		.addColumn('opened_by', 'uuid', (c) => c.notNull().references('app_user.id'))
		.addColumn('opened_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('expires_at', 'timestamptz', (c) => c.notNull())
		.addColumn('closed_at', 'timestamptz')
		.addColumn('closed_by', 'uuid', (c) => c.references('app_user.id'))
		.addCheckConstraint('outcome_session_code_expiry_check', sql`expires_at > opened_at and expires_at <= opened_at + interval '1 day'`)
		.execute();
	await db.schema.createIndex('outcome_session_code_session_id_idx').on('outcome_session_code').columns(['session_id', 'expires_at']).execute();
	await db.schema.createIndex('outcome_session_code_opened_by_idx').on('outcome_session_code').column('opened_by').execute();
	await db.schema.createIndex('outcome_session_code_closed_by_idx').on('outcome_session_code').column('closed_by').execute();

	await db.schema
		.createTable('outcome_questionnaire')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('programme_id', 'uuid', (c) => c.notNull().references('programme.id'))
		.addColumn('session_id', 'uuid', (c) => c.references('programme_session.id'))
		.addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id'))
		.addColumn('young_person_id', 'uuid', (c) => c.references('young_person.id'))
		// Stored in capitals, so "abc123" before matches "ABC123" after.
		.addColumn('matching_code', 'text', (c) => c.check(sql`matching_code ~ '^[A-Z0-9]{4,8}$'`))
		.addColumn('moment', 'text', (c) => c.notNull().check(sql`moment in ('before', 'after')`))
		.addColumn('answered_on', 'date', (c) => c.notNull())
		// The academic year of answered_on, by the calendar year it began: named answers and
		// anonymous answers without a session are matched within it.
		.addColumn('academic_year', 'integer', (c) => c.notNull().check(sql`academic_year between 1990 and 2100`))
		.addColumn('session_code_id', 'uuid', (c) => c.references('outcome_session_code.id'))
		.addColumn('entered_by', 'uuid', (c) => c.references('app_user.id'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addCheckConstraint('outcome_questionnaire_who_check', sql`(young_person_id is null) <> (matching_code is null)`)
		.addCheckConstraint('outcome_questionnaire_source_check', sql`entered_by is not null or session_code_id is not null`)
		.execute();
	// One questionnaire per person (or code) and moment in each matching scope: a before and an
	// after then pair up one to one.
	await db.schema
		.createIndex('outcome_questionnaire_named_key')
		.on('outcome_questionnaire')
		.columns(['programme_id', 'academic_year', 'young_person_id', 'moment'])
		.unique()
		.where(sql.ref('young_person_id'), 'is not', null)
		.execute();
	await db.schema
		.createIndex('outcome_questionnaire_session_code_key')
		.on('outcome_questionnaire')
		.columns(['session_id', 'matching_code', 'moment'])
		.unique()
		.where(sql<boolean>`matching_code is not null and session_id is not null`)
		.execute();
	await db.schema
		.createIndex('outcome_questionnaire_year_code_key')
		.on('outcome_questionnaire')
		.columns(['programme_id', 'academic_year', 'matching_code', 'moment'])
		.unique()
		.where(sql<boolean>`matching_code is not null and session_id is null`)
		.execute();
	await db.schema.createIndex('outcome_questionnaire_programme_id_idx').on('outcome_questionnaire').columns(['programme_id', 'answered_on']).execute();
	await db.schema.createIndex('outcome_questionnaire_session_id_idx').on('outcome_questionnaire').column('session_id').execute();
	await db.schema.createIndex('outcome_questionnaire_school_id_idx').on('outcome_questionnaire').column('school_id').execute();
	await db.schema.createIndex('outcome_questionnaire_young_person_id_idx').on('outcome_questionnaire').column('young_person_id').execute();
	await db.schema.createIndex('outcome_questionnaire_session_code_id_idx').on('outcome_questionnaire').column('session_code_id').execute();
	await db.schema.createIndex('outcome_questionnaire_entered_by_idx').on('outcome_questionnaire').column('entered_by').execute();

	await db.schema
		.createTable('outcome_answer')
		.addColumn('questionnaire_id', 'uuid', (c) => c.notNull().references('outcome_questionnaire.id'))
		.addColumn('question_id', 'uuid', (c) => c.notNull().references('outcome_question.id'))
		.addColumn('score', 'smallint', (c) => c.notNull().check(sql`score between 1 and 5`))
		.addPrimaryKeyConstraint('outcome_answer_pkey', ['questionnaire_id', 'question_id'])
		.execute();
	await db.schema.createIndex('outcome_answer_question_id_idx').on('outcome_answer').column('question_id').execute();

	// Wrong session codes typed on the public form, by network address, for its throttle.
	await db.schema
		.createTable('outcome_code_failure')
		.addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('address', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('outcome_code_failure_address_idx').on('outcome_code_failure').columns(['address', 'at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('outcome_code_failure').execute();
	await db.schema.dropTable('outcome_answer').execute();
	await db.schema.dropTable('outcome_questionnaire').execute();
	await db.schema.dropTable('outcome_session_code').execute();
	await db.schema.dropTable('outcome_question').execute();
}
