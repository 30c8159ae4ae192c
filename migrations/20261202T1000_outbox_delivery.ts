import { sql, type Kysely } from 'kysely';

// Emails are written into the outbox in the same transaction as the change that causes them,
// and a sender in the server delivers them later (src/lib/server/email/sender.ts). A message
// waiting for it is 'queued', with the number of tries so far, when it may next be tried and
// the last error; the sender marks it 'sent' (dropping its body, which may hold a sign-in link)
// or, after its last try, 'failed'.
//
// scheduled_run is the once-a-day claim of the server's daily jobs (reminders): the first
// process to insert (job, day) runs it, in the same transaction, so two processes never both do.

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('outbox_message').dropConstraint('outbox_message_status_check').execute();
	await db.schema
		.alterTable('outbox_message')
		.addCheckConstraint('outbox_message_status_check', sql`status in ('queued', 'kept', 'sent', 'failed')`)
		.execute();
	await db.schema
		.alterTable('outbox_message')
		.addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('next_attempt_at', 'timestamptz')
		.addColumn('sent_at', 'timestamptz')
		.execute();
	await db.schema
		.alterTable('outbox_message')
		.addCheckConstraint('outbox_message_queued_check', sql`(status = 'queued') = (next_attempt_at is not null)`)
		.execute();
	// What the sender looks for, many times a minute: only the queued few are in this index.
	await db.schema.createIndex('outbox_message_due_idx').on('outbox_message').column('next_attempt_at').where(sql.ref('status'), '=', 'queued').execute();

	await db.schema
		.createTable('scheduled_run')
		.addColumn('job', 'text', (c) => c.notNull())
		// The UK date the job ran for.
		.addColumn('day', 'date', (c) => c.notNull())
		.addColumn('ran_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('scheduled_run_pkey', ['job', 'day'])
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('scheduled_run').execute();
	await db.schema.dropIndex('outbox_message_due_idx').execute();
	// Messages still waiting keep their text where admins can read it, as without a mail server.
	await db.updateTable('outbox_message').set({ status: 'kept', next_attempt_at: null }).where('status', '=', 'queued').execute();
	await db.schema.alterTable('outbox_message').dropConstraint('outbox_message_queued_check').execute();
	await db.schema.alterTable('outbox_message').dropColumn('attempts').dropColumn('next_attempt_at').dropColumn('sent_at').execute();
	await db.schema.alterTable('outbox_message').dropConstraint('outbox_message_status_check').execute();
	await db.schema
		.alterTable('outbox_message')
		.addCheckConstraint('outbox_message_status_check', sql`status in ('kept', 'sent', 'failed')`)
		.execute();
}
