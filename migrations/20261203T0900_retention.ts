import { sql, type Kysely } from 'kysely';

// Personal data has a lifetime. A young person past every programme's retention period, or
// erased on request, keeps their row (school, year group, and every mark, enrolment, pair and
// award that points at it, so past report figures are unchanged) but loses their names and
// equality-monitoring answers; `anonymised_at` says when. Each programme keeps personal data
// for `retention_years` after the end of the academic year of a young person's last activity
// in it (1 to 25 years; 3 unless an admin changes it). Staff accounts deactivated long enough
// are anonymised the same way, with their own stamp.
//
// The audit log stays append-only, with one opening: anonymisation may rewrite an audit row's
// detail (to take a name out of it), and nothing else of it, inside a transaction that says so
// with `set_config('app.anonymising', 'on', true)`. Deleting and truncating stay refused.

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('young_person').addColumn('anonymised_at', 'timestamptz').execute();
	await db.schema
		.alterTable('programme')
		.addColumn('retention_years', 'integer', (c) =>
			c
				.notNull()
				.defaultTo(3)
				.check(sql`retention_years between 1 and 25`)
		)
		.execute();
	await db.schema.alterTable('app_user').addColumn('anonymised_at', 'timestamptz').execute();
	await sql`
		create or replace function audit_event_append_only() returns trigger language plpgsql as $$
		begin
			if tg_op = 'UPDATE' and current_setting('app.anonymising', true) = 'on' then return null; end if;
			raise exception 'audit_event is append-only';
		end;
		$$`.execute(db);
	await sql`
		create function audit_event_detail_only() returns trigger language plpgsql as $$
		begin
			if (new.id, new.at, new.actor_id, new.action, new.entity_type, new.entity_id, new.address)
				is distinct from (old.id, old.at, old.actor_id, old.action, old.entity_type, old.entity_id, old.address) then
				raise exception 'audit_event is append-only: anonymisation may change only an audit row''s detail';
			end if;
			return new;
		end;
		$$`.execute(db);
	await sql`create trigger audit_event_detail_only before update on audit_event for each row execute function audit_event_detail_only()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`drop trigger audit_event_detail_only on audit_event`.execute(db);
	await sql`drop function audit_event_detail_only()`.execute(db);
	await sql`
		create or replace function audit_event_append_only() returns trigger language plpgsql as $$
		begin
			raise exception 'audit_event is append-only';
		end;
		$$`.execute(db);
	await db.schema.alterTable('app_user').dropColumn('anonymised_at').execute();
	await db.schema.alterTable('programme').dropColumn('retention_years').execute();
	await db.schema.alterTable('young_person').dropColumn('anonymised_at').execute();
}
