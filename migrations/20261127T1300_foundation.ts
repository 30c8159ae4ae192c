import { sql, type Kysely } from 'kysely';

// Schools, users, sessions, one-time tokens, sign-in attempts, the audit log and the outbox.

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('school')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('name', 'text', (c) => c.notNull().check(sql`length(trim(name)) between 1 and 200`))
		.addColumn('urn', 'text', (c) => c.unique().check(sql`urn ~ '^[0-9]{6}$'`))
		.addColumn('phase', 'text', (c) =>
			c.notNull().check(sql`phase in ('primary', 'secondary', 'all-through', 'special', 'college')`)
		)
		.addColumn('town', 'text', (c) => c.notNull().check(sql`town in ('Dover', 'Deal', 'Sandwich', 'Rural')`))
		.addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await sql`create unique index school_name_key on school (lower(name))`.execute(db);

	await db.schema
		.createTable('app_user')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('email', 'text', (c) => c.notNull().unique().check(sql`email = lower(email) and email like '%_@_%'`))
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'lead', 'school', 'viewer')`))
		.addColumn('school_id', 'uuid', (c) => c.references('school.id'))
		.addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('invited', 'active', 'deactivated')`))
		.addColumn('password_hash', 'text')
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		// A school contact belongs to exactly one school; nobody else belongs to one.
		.addCheckConstraint('app_user_school_check', sql`(role = 'school') = (school_id is not null)`)
		.addCheckConstraint('app_user_active_password_check', sql`status <> 'active' or password_hash is not null`)
		.execute();
	await db.schema.createIndex('app_user_school_id_idx').on('app_user').column('school_id').execute();

	await db.schema
		.createTable('auth_session')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('user_id', 'uuid', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('expires_at', 'timestamptz', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('auth_session_user_id_idx').on('auth_session').column('user_id').execute();

	await db.schema
		.createTable('user_token')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('user_id', 'uuid', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose in ('invitation', 'password_reset')`))
		.addColumn('expires_at', 'timestamptz', (c) => c.notNull())
		.addColumn('used_at', 'timestamptz')
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('user_token_user_id_idx').on('user_token').column('user_id').execute();

	await db.schema
		.createTable('sign_in_attempt')
		.addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		// SHA-256 of the normalised email address typed, known or not.
		.addColumn('account', 'text', (c) => c.notNull())
		.addColumn('address', 'text', (c) => c.notNull())
		.addColumn('succeeded', 'boolean', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('sign_in_attempt_account_idx').on('sign_in_attempt').columns(['account', 'at']).execute();
	await db.schema.createIndex('sign_in_attempt_address_idx').on('sign_in_attempt').columns(['address', 'at']).execute();

	await db.schema
		.createTable('audit_event')
		.addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('actor_id', 'uuid', (c) => c.references('app_user.id'))
		.addColumn('action', 'text', (c) => c.notNull())
		.addColumn('entity_type', 'text')
		.addColumn('entity_id', 'text')
		.addColumn('detail', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
		.addColumn('address', 'text')
		.execute();
	await db.schema.createIndex('audit_event_at_idx').on('audit_event').column('at').execute();
	await db.schema.createIndex('audit_event_actor_id_idx').on('audit_event').columns(['actor_id', 'at']).execute();
	await db.schema.createIndex('audit_event_action_idx').on('audit_event').columns(['action', 'at']).execute();
	// Append-only: the database itself refuses to change or remove an audit row.
	await sql`
		create function audit_event_append_only() returns trigger language plpgsql as $$
		begin
			raise exception 'audit_event is append-only';
		end;
		$$`.execute(db);
	await sql`
		create trigger audit_event_append_only before update or delete or truncate on audit_event
		for each statement execute function audit_event_append_only()`.execute(db);

	await db.schema
		.createTable('outbox_message')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('to_address', 'text', (c) => c.notNull())
		.addColumn('subject', 'text', (c) => c.notNull())
		// Kept only when no SMTP server is configured; a sent message's body is not stored.
		.addColumn('body_text', 'text')
		.addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('kept', 'sent', 'failed')`))
		.addColumn('error', 'text')
		.execute();
	await db.schema.createIndex('outbox_message_created_at_idx').on('outbox_message').column('created_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('outbox_message').execute();
	await db.schema.dropTable('audit_event').execute();
	await sql`drop function audit_event_append_only()`.execute(db);
	await db.schema.dropTable('sign_in_attempt').execute();
	await db.schema.dropTable('user_token').execute();
	await db.schema.dropTable('auth_session').execute();
	await db.schema.dropTable('app_user').execute();
	await db.schema.dropTable('school').execute();
}
