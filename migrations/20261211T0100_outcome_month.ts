import { sql, type Kysely } from 'kysely';

// The outcomes rollup by month, every school together (issue 15, item 3). The district overview
// reads a year's outcomes for every school, and from outcome_rollup (by day and school) that was
// about 2,200 rows for a county's financial year: 1.0 of the 1.1 ms its one statement took, the
// largest part of what the computed overview asked of the database. Every period a report offers
// (academic and financial years, quarters) is whole months, so the same sums for every school by
// month answer it from about a hundred rows.
//
// outcome_month is outcome_rollup added up, kept by triggers on outcome_rollup itself: whatever
// changes a rollup row (a recount, the rebuild) changes its month by the same amount, in the
// same transaction. Rows left with nothing are dropped, as outcome_rollup's are. The rebuild
// (`rebuild_outcome_rollup()`, the repair tool) counts the months again from the rollup it has
// just rebuilt, and the triggers stand aside while it rebuilds.

const COUNTS = ['pairs', 'improved', 'same', 'worse', 'total_change', 'total_before', 'unmatched_before', 'unmatched_after'];

const monthAdd = `-- Adds the rollup rows in plus to their months, and takes those in minus off.
create function outcome_month_add(plus outcome_rollup[], minus outcome_rollup[]) returns void language plpgsql as $$
declare
	k record;
begin
	for k in
		insert into outcome_month as m (programme_id, month, question_id, ${COUNTS.join(', ')})
		select r.programme_id, date_trunc('month', r.on_date)::date, r.question_id, ${COUNTS.map((c) => `sum(r.sign * r.${c})`).join(', ')}
		from (
			select 1 as sign, * from unnest(plus)
			union all
			select -1 as sign, * from unnest(minus)
		) r
		group by 1, 2, 3
		-- In the order of the key, so that two changes writing the same months lock them in the same order.
		order by 1, 2, 3
		on conflict (programme_id, month, question_id) do update set
			${COUNTS.map((c) => `${c} = m.${c} + excluded.${c}`).join(', ')}
		returning m.programme_id, m.month, m.question_id, m.pairs + m.unmatched_before + m.unmatched_after as counted
	loop
		if k.counted = 0 then
			delete from outcome_month where programme_id = k.programme_id and month = k.month and question_id = k.question_id;
		end if;
	end loop;
end
$$`;

const rollupChanged = `create function outcome_rollup_changed() returns trigger language plpgsql as $$
begin
	if current_setting('outcome.rebuilding', true) = 'on' then
		return null;
	end if;
	if tg_op = 'INSERT' then
		perform outcome_month_add((select array_agg(a::outcome_rollup) from added a), '{}');
	elsif tg_op = 'UPDATE' then
		perform outcome_month_add((select array_agg(a::outcome_rollup) from added a), (select array_agg(r::outcome_rollup) from removed r));
	else
		perform outcome_month_add('{}', (select array_agg(r::outcome_rollup) from removed r));
	end if;
	return null;
end
$$`;

const monthsFromRollup = `insert into outcome_month (programme_id, month, question_id, ${COUNTS.join(', ')})
	select programme_id, date_trunc('month', on_date)::date, question_id, ${COUNTS.map((c) => `sum(${c})`).join(', ')}
	from outcome_rollup
	group by 1, 2, 3`;

/** The rebuild of 20261210T0100, kept under another name, and then the months from what it rebuilt. */
const rebuild = `create function rebuild_outcome_rollup() returns void language plpgsql as $$
begin
	perform pg_advisory_xact_lock(hashtext('rebuild_outcome_rollup'));
	perform set_config('outcome.rebuilding', 'on', true);
	perform rebuild_outcome_pairs();
	delete from outcome_month;
	${monthsFromRollup};
	perform set_config('outcome.rebuilding', 'off', true);
end
$$`;

const triggers = [
	`create trigger outcome_rollup_added after insert on outcome_rollup
	referencing new table as added for each statement execute function outcome_rollup_changed()`,
	`create trigger outcome_rollup_updated after update on outcome_rollup
	referencing new table as added old table as removed for each statement execute function outcome_rollup_changed()`,
	`create trigger outcome_rollup_removed after delete on outcome_rollup
	referencing old table as removed for each statement execute function outcome_rollup_changed()`
];

export async function up(db: Kysely<any>): Promise<void> {
	await sql`
		create table outcome_month (
			programme_id uuid not null,
			month date not null,
			question_id uuid not null,
			pairs integer not null,
			improved integer not null,
			same integer not null,
			worse integer not null,
			total_change integer not null,
			total_before integer not null,
			unmatched_before integer not null,
			unmatched_after integer not null,
			primary key (programme_id, month, question_id)
		)
	`.execute(db);
	// Each statement on its own: PGlite runs one CREATE per call.
	await sql.raw(monthAdd).execute(db);
	await sql.raw(rollupChanged).execute(db);
	for (const statement of triggers) await sql.raw(statement).execute(db);
	await sql`alter function rebuild_outcome_rollup() rename to rebuild_outcome_pairs`.execute(db);
	await sql.raw(rebuild).execute(db);
	await sql.raw(monthsFromRollup).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`drop function rebuild_outcome_rollup()`.execute(db);
	await sql`alter function rebuild_outcome_pairs() rename to rebuild_outcome_rollup`.execute(db);
	await sql`drop trigger outcome_rollup_removed on outcome_rollup`.execute(db);
	await sql`drop trigger outcome_rollup_updated on outcome_rollup`.execute(db);
	await sql`drop trigger outcome_rollup_added on outcome_rollup`.execute(db);
	await sql`drop function outcome_rollup_changed()`.execute(db);
	await sql`drop function outcome_month_add(outcome_rollup[], outcome_rollup[])`.execute(db);
	await sql`drop table outcome_month`.execute(db);
}
