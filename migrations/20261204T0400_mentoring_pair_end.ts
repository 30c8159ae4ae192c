import { sql, type Kysely } from 'kysely';

// A pair ends with a reason chosen from a short list (no free text, so no names), and keeps its
// meetings. A mentee whose pair ended may be paired again in the same cohort: one running pair
// per mentee, not one pair ever.

export async function up(db: Kysely<any>): Promise<void> {
	await sql`alter table mentoring_pair add column end_reason text
		constraint mentoring_pair_end_reason_check check (end_reason in ('mentee_left', 'mentor_left', 'not_working', 'goals_met', 'other'))`.execute(db);
	await sql`alter table mentoring_pair add constraint mentoring_pair_end_reason_ended_check check (end_reason is null or ended_on is not null)`.execute(db);
	await sql`alter table mentoring_pair drop constraint mentoring_pair_cohort_mentee_key`.execute(db);
	await sql`create unique index mentoring_pair_cohort_mentee_running_key on mentoring_pair (cohort_id, mentee_id) where ended_on is null`.execute(db);
	await sql`create index mentoring_pair_cohort_id_idx on mentoring_pair (cohort_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`drop index mentoring_pair_cohort_id_idx`.execute(db);
	await sql`drop index mentoring_pair_cohort_mentee_running_key`.execute(db);
	await sql`alter table mentoring_pair add constraint mentoring_pair_cohort_mentee_key unique (cohort_id, mentee_id)`.execute(db);
	await sql`alter table mentoring_pair drop constraint mentoring_pair_end_reason_ended_check`.execute(db);
	await sql`alter table mentoring_pair drop column end_reason`.execute(db);
}
