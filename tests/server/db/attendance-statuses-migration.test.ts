import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDatabase } from '../../../src/lib/server/db/database';
import { migrateDown, migrateToLatest } from '../../../src/lib/server/db/migrate';
import { attendanceStatuses, attendedStatuses } from '../../../src/lib/server/db/schema';
import { openTestDatabase } from '../../support/database';
import { makeNamedSession, makeYoungPeople } from '../../support/attendance-world';

const MIGRATION = '20261203T1000_attendance_reasons_versions';

describe(`migration ${MIGRATION}`, () => {
	// Outside any test transaction: the migrator opens transactions of its own.
	let database: AppDatabase;
	beforeAll(async () => {
		database = await openTestDatabase();
	});
	afterAll(async () => {
		await database?.close();
	});

	it('maps excused to absent (authorised) and unexcused to absent (unauthorised), keeping present and late, each at version 1', async () => {
		const db = database.db;
		const world = await makeNamedSession(db);
		const people = await makeYoungPeople(db, world.schoolId, 'Y8', 4);
		// Down to just before this migration, whatever was added after it.
		for (;;) {
			const [reverted] = await migrateDown(db);
			if (reverted === `reverted ${MIGRATION}`) break;
			expect(reverted).toMatch(/^reverted /);
		}
		const old = ['present', 'late', 'excused', 'unexcused'];
		await sql`
			insert into attendance_mark (session_id, young_person_id, status, recorded_by)
			select ${world.sessionId}::uuid, p.id, p.status, ${world.lead.id}::uuid
			from unnest(${people.map((p) => p.id)}::uuid[], ${old}::text[]) as p(id, status)
		`.execute(db);
		await migrateToLatest(db);
		const stored = await db.selectFrom('attendance_mark').select(['young_person_id', 'status', 'version']).where('session_id', '=', world.sessionId).execute();
		const byPerson = new Map(stored.map((m) => [m.young_person_id, m]));
		expect(people.map((p) => byPerson.get(p.id)?.status)).toEqual(['present', 'late', 'absent_authorised', 'absent_unauthorised']);
		expect(stored.every((m) => m.version === 1)).toBe(true);
	});

	it('decides what counts as attended in one database function, the same as attendedStatuses, and the rollup rebuild calls it', async () => {
		const { rows } = await sql<{ status: string; attended: boolean }>`
			select s as status, counts_as_attended(s) as attended from unnest(${[...attendanceStatuses]}::text[]) as s
		`.execute(database.db);
		expect(rows.filter((r) => r.attended).map((r) => r.status)).toEqual([...attendedStatuses]);
		const { rows: functions } = await sql<{ name: string }>`
			select p.proname as name from pg_proc p join pg_namespace n on n.oid = p.pronamespace
			where n.nspname = current_schema() and p.prosrc ~ ${"status in \\('present'"}
		`.execute(database.db);
		expect(functions.map((f) => f.name)).toEqual([]);
		const { rows: callers } = await sql<{ name: string }>`
			select p.proname as name from pg_proc p join pg_namespace n on n.oid = p.pronamespace
			where n.nspname = current_schema() and p.prosrc like '%counts_as_attended(m.status)%'
		`.execute(database.db);
		expect(callers.map((f) => f.name)).toContain('rebuild_report_rollups');
	});
});
