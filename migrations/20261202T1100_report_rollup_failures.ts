import { type Kysely } from 'kysely';

// A rebuild of the report figures that fails is retried with backoff (src/lib/server/reports/
// rollups.ts), and until one succeeds every report page says the figures could not be counted
// again. The failure is kept here, beside when they were last counted, so every app process
// shows it, not only the one whose rebuild failed. The message is short and names no person.

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('report_rollup_state').addColumn('last_failed_at', 'timestamptz').addColumn('last_error', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('report_rollup_state').dropColumn('last_error').dropColumn('last_failed_at').execute();
}
