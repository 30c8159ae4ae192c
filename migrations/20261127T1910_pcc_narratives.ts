import { sql, type Kysely } from 'kysely';

// The PCC return's short narrative per programme, for the period it was written for.

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('pcc_narrative')
		.addColumn('programme_id', 'uuid', (c) => c.notNull().references('programme.id'))
		.addColumn('period_from', 'date', (c) => c.notNull())
		.addColumn('period_to', 'date', (c) => c.notNull())
		.addColumn('narrative', 'text', (c) => c.notNull().check(sql`length(narrative) <= 1500`))
		.addColumn('updated_by', 'uuid', (c) => c.notNull().references('app_user.id'))
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('pcc_narrative_pkey', ['programme_id', 'period_from', 'period_to'])
		.addCheckConstraint('pcc_narrative_period_check', sql`period_to >= period_from`)
		.execute();
	await db.schema.createIndex('pcc_narrative_updated_by_idx').on('pcc_narrative').column('updated_by').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('pcc_narrative').execute();
}
