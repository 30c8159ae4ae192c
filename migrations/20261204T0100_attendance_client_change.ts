import { sql, type Kysely } from 'kysely';

// A register kept on a tablet sends its marks when the connection returns, and may send the
// same ones again (the answer was lost, the page was reloaded mid-send). Each change carries an
// id the tablet made; the first time it is applied its id is kept here with a hash of what it
// said, so a re-send is answered with the first outcome instead of applied twice, and an id
// sent again with a different change is refused. Who was marked is in the hash only.

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('attendance_client_change')
		.addColumn('client_id', 'uuid', (c) => c.primaryKey())
		.addColumn('session_id', 'uuid', (c) => c.notNull().references('programme_session.id').onDelete('cascade'))
		.addColumn('recorded_by', 'uuid', (c) => c.notNull().references('app_user.id'))
		.addColumn('change_hash', 'text', (c) => c.notNull())
		.addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('saved', 'conflict')`))
		.addColumn('applied_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('attendance_client_change_session_id_idx').on('attendance_client_change').column('session_id').execute();
	await db.schema.createIndex('attendance_client_change_recorded_by_idx').on('attendance_client_change').column('recorded_by').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('attendance_client_change').execute();
}
