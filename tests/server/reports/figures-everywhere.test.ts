import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { saveMarks } from '../../../src/lib/server/attendance/attendance.service';
import { openDatabase, type AppDatabase } from '../../../src/lib/server/db/database';
import { LISTENER_NAME } from '../../../src/lib/server/db/listen';
import { keptReport } from '../../../src/lib/server/reports/kept';
import { recountRollups } from '../../../src/lib/server/reports/reports.queries';
import { figuresCounted, startRollupSchedule, stopRollupSchedule } from '../../../src/lib/server/reports/rollups';
import { makeNamedSession, makeYoungPeople, STARTED } from '../../support/attendance-world';
import { copyPostgresTemplate, databaseKind, openTestDatabase } from '../../support/database';

// Figures follow each change at once, in every process. The database is this file's own and
// the changes commit, as the app's do: the recount runs after the service's transaction, and on
// PostgreSQL another process hears of it only once it commits. A second pool on the same
// database stands for another app process.

let database: AppDatabase & { url?: string };
beforeAll(async () => {
	database = databaseKind === 'postgres' ? await copyPostgresTemplate(5) : await openTestDatabase();
});
afterAll(async () => {
	await database?.close();
});
afterEach(async () => {
	await stopRollupSchedule();
});

/** Asks for a kept report that counts how often it was computed. */
function reportAsker() {
	let computed = 0;
	const ask = () => keptReport(database.db, 'overview', async () => ++computed);
	return { ask, computed: () => computed };
}

/** Waits until this process keeps reports (on PostgreSQL, once it listens). */
async function keeping(ask: () => Promise<number>) {
	await vi.waitFor(
		async () => {
			const first = await ask();
			expect(await ask()).toBe(first);
		},
		{ timeout: 10_000, interval: 50 }
	);
}

async function reached(schoolId: string): Promise<number> {
	const row = await database.db
		.selectFrom('report_rollup')
		.select('named_young_people')
		.where('period_kind', '=', 'academic')
		.where('programme_id', '=', '00000000-0000-0000-0000-000000000000')
		.where('school_id', '=', schoolId)
		.executeTakeFirst();
	return row?.named_young_people ?? 0;
}

describe('report figures after a change', () => {
	it('are counted again as soon as a register is saved, and the reports kept here are dropped', async () => {
		const db = database.db;
		const world = await makeNamedSession(db);
		const [pupil] = await makeYoungPeople(db, world.schoolId, 'Y8', 1);
		startRollupSchedule(() => db, { listen: database.listen });
		const { ask, computed } = reportAsker();
		await keeping(ask);
		const before = computed();
		expect(await reached(world.schoolId)).toBe(0);

		const saved = await saveMarks(db, world.lead, world.sessionId, [{ youngPersonId: pupil!.id, status: 'present', basedOn: null }], STARTED);
		expect(saved.ok).toBe(true);
		await figuresCounted();
		expect(await reached(world.schoolId)).toBe(1);
		// Computed again (on PostgreSQL perhaps twice: this process drops what it kept when it has
		// counted, and again when its own notification arrives), then kept.
		expect(await ask()).toBe(before + 1);
		await keeping(ask);
	});
});

if (databaseKind === 'postgres') {
	describe('report figures across processes (PostgreSQL)', () => {
		let other: AppDatabase;
		beforeAll(async () => {
			other = await openDatabase({ kind: 'postgres', url: database.url!, poolSize: 2 });
		});
		afterAll(async () => {
			await other?.close();
		});

		/** What another process does after saving a register: counts again what it touched, which notifies when it commits. */
		async function changeElsewhere(world: { sessionId: string; schoolId: string; lead: { id: string } }) {
			const [pupil] = await makeYoungPeople(other.db, world.schoolId, 'Y8', 1, 'Elsewhere');
			await other.db
				.insertInto('attendance_mark')
				.values({ session_id: world.sessionId, young_person_id: pupil!.id, status: 'present', recorded_by: world.lead.id })
				.execute();
			await recountRollups(other.db, { sessions: [{ id: world.sessionId, day: null, itself: false }], people: [], schools: [] });
		}

		it("drops this process's kept report within a second of a change another process counted", async () => {
			const world = await makeNamedSession(database.db);
			startRollupSchedule(() => database.db, { listen: database.listen });
			const { ask, computed } = reportAsker();
			await keeping(ask);
			const before = computed();

			await changeElsewhere(world);
			await vi.waitFor(async () => expect(await ask()).toBe(before + 1), { timeout: 1_000, interval: 10 });
		});

		it('keeps nothing while the listening connection is lost, then listens again and keeps again', async () => {
			const world = await makeNamedSession(database.db);
			startRollupSchedule(() => database.db, { listen: database.listen });
			const { ask, computed } = reportAsker();
			await keeping(ask);

			await sql`
				select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${LISTENER_NAME} and datname = current_database()
			`.execute(other.db);
			// Lost: every ask computes (nothing kept could be trusted, as changes may go unheard).
			await vi.waitFor(
				async () => {
					const first = await ask();
					expect(await ask()).toBe(first + 1);
				},
				{ timeout: 5_000, interval: 20 }
			);
			// Connected again: kept once more, and dropped by the next change elsewhere.
			await keeping(ask);
			const before = computed();
			await changeElsewhere(world);
			await vi.waitFor(async () => expect(await ask()).toBe(before + 1), { timeout: 1_000, interval: 10 });
		});
	});
}
