import { sql, type Kysely } from 'kysely';

// John Muir Award: named groups working towards a level, each programme's labels for the
// three levels, the young people in each group, and the days they logged with the Four
// Challenges each day served.

const levels = `('discovery', 'explorer', 'conserver')`;

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('award_group')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('programme_id', 'uuid', (c) => c.notNull().references('programme.id'))
		.addColumn('name', 'text', (c) => c.notNull().check(sql`length(trim(name)) between 1 and 200`))
		.addColumn('leader_name', 'text', (c) => c.notNull().defaultTo(''))
		// The John Muir Trust's reference for the group's proposal, once the Trust has given one.
		.addColumn('trust_reference', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('award_group_programme_id_idx').on('award_group').column('programme_id').execute();

	// The awarding body's levels are fixed; what a programme calls them (Bronze, Silver, Gold) is data.
	await db.schema
		.createTable('award_level')
		.addColumn('programme_id', 'uuid', (c) => c.notNull().references('programme.id').onDelete('cascade'))
		.addColumn('code', 'text', (c) => c.notNull().check(sql.raw(`code in ${levels}`)))
		.addColumn('label', 'text', (c) => c.notNull().check(sql`length(trim(label)) between 1 and 50`))
		.addPrimaryKeyConstraint('award_level_pkey', ['programme_id', 'code'])
		.execute();

	await db.schema
		.createTable('award_participant')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('award_group_id', 'uuid', (c) => c.notNull().references('award_group.id'))
		.addColumn('young_person_id', 'uuid', (c) => c.notNull().references('young_person.id'))
		.addColumn('level', 'text', (c) => c.notNull().check(sql.raw(`level in ${levels}`)))
		.addColumn('signed_off_by', 'uuid', (c) => c.references('app_user.id'))
		.addColumn('signed_off_at', 'timestamptz')
		.addColumn('achieved_on', 'date')
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addUniqueConstraint('award_participant_group_young_person_key', ['award_group_id', 'young_person_id'])
		// Signed off means all three recorded; not signed off means none.
		.addCheckConstraint(
			'award_participant_sign_off_check',
			sql`(signed_off_by is null) = (signed_off_at is null) and (signed_off_at is null) = (achieved_on is null)`
		)
		.execute();
	await db.schema.createIndex('award_participant_young_person_id_idx').on('award_participant').column('young_person_id').execute();
	await db.schema.createIndex('award_participant_signed_off_by_idx').on('award_participant').column('signed_off_by').execute();

	// Whole days only: one row per day worked, with the challenges that day served.
	await db.schema
		.createTable('award_day')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('award_participant_id', 'uuid', (c) => c.notNull().references('award_participant.id').onDelete('cascade'))
		.addColumn('day', 'date', (c) => c.notNull())
		.addColumn('challenges', sql`text[]`, (c) =>
			c.notNull().check(sql`cardinality(challenges) > 0 and challenges <@ array['discover','explore','conserve','share']::text[]`)
		)
		.addColumn('recorded_by', 'uuid', (c) => c.notNull().references('app_user.id'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addUniqueConstraint('award_day_participant_day_key', ['award_participant_id', 'day'])
		.execute();
	await db.schema.createIndex('award_day_recorded_by_idx').on('award_day').column('recorded_by').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('award_day').execute();
	await db.schema.dropTable('award_participant').execute();
	await db.schema.dropTable('award_level').execute();
	await db.schema.dropTable('award_group').execute();
}
