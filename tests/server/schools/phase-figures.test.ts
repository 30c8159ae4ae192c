import { sql } from 'kysely';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../../src/lib/server/db';
import { rebuildRollups } from '../../../src/lib/server/reports/reports.queries';
import { recountFigures, reportFiguresChanged } from '../../../src/lib/server/reports/rollups';
import { importSchools, updateSchool } from '../../../src/lib/server/schools/schools.service';
import { useTestDatabase } from '../../support/database';
import { readRebuilt } from '../../support/rebuilt';
import { makeActor, makeBooking, makeProgramme, makeSchool, makeSession } from '../../support/factories';

// The reports' reach by phase counts each school under the phase it has now, in every period
// (migration 20261208T0100): a school's new phase asks for the periods it was reached in to be
// counted again (and kept reports to be dropped); any other edit only for kept reports to be
// dropped. The recount moves the school in those periods' reach by phase, as a whole rebuild would.

vi.mock('../../../src/lib/server/reports/rollups', async (importOriginal) => ({
	...(await importOriginal<typeof import('../../../src/lib/server/reports/rollups')>()),
	reportFiguresChanged: vi.fn()
}));

const t = useTestDatabase();
beforeEach(() => vi.mocked(reportFiguresChanged).mockClear());

const calls = () => vi.mocked(reportFiguresChanged).mock.calls.map(([scope]) => (scope === undefined ? 'rebuild' : scope));

const ALL = '00000000-0000-0000-0000-000000000000';
const REACHED = ['reached_primary', 'reached_secondary', 'reached_all_through', 'reached_special', 'reached_college'] as const;

/** The all-schools rows' reach by phase, every period and programme. */
async function reachByPhase(db: Db) {
	const { rows } = await sql<Record<string, unknown>>`
		select period_kind, period_start::text, programme_id, ${sql.join(REACHED.map((c) => sql.ref(c)))}
		from report_rollup where school_id = ${ALL} order by 1, 2, 3
	`.execute(db);
	return rows;
}

describe("a school's phase and the report figures", () => {
	it('asks for a recount of the school when it is given a new phase on its page, and not for a new name', async () => {
		const admin = await makeActor(t.db);
		const school = await makeSchool(t.db, { name: 'Astor College', urn: '118937', phase: 'secondary', town: 'Dover' });
		const values = { name: 'Astor College', urn: '118937', phase: 'secondary', town: 'Dover' };
		expect(await updateSchool(t.db, admin, school.id, { ...values, name: 'The Astor College' })).toMatchObject({ ok: true });
		expect(calls()).toEqual([{}]);
		vi.mocked(reportFiguresChanged).mockClear();
		expect(await updateSchool(t.db, admin, school.id, { ...values, name: 'The Astor College', phase: 'all-through' })).toMatchObject({ ok: true });
		expect(calls()).toEqual([{ rephased: [school.id] }]);
	});

	it('asks for a recount of the schools an import gives a new phase, and not of those it only renames', async () => {
		const admin = await makeActor(t.db);
		const astor = await makeSchool(t.db, { name: 'Astor College', urn: '118937', phase: 'secondary', town: 'Dover' });
		await makeSchool(t.db, { name: 'Whitfield Aspen', urn: '118938', phase: 'primary', town: 'Dover' });
		const renamed = await importSchools(t.db, admin, 'name,urn,phase,town\nThe Astor College,118937,secondary,Dover\n');
		expect(renamed).toMatchObject({ ok: true, counts: { updated: 1 } });
		expect(calls()).toEqual([{}]);
		vi.mocked(reportFiguresChanged).mockClear();
		const rephased = await importSchools(
			t.db,
			admin,
			'name,urn,phase,town\nThe Astor College,118937,all-through,Dover\nWhitfield Aspen,118938,primary,Dover\n'
		);
		expect(rephased).toMatchObject({ ok: true, counts: { updated: 1, unchanged: 1 } });
		expect(calls()).toEqual([{ rephased: [astor.id] }]);
	});

	it('moves the school in the reach by phase of every period it was reached in, as a rebuild would', async () => {
		const admin = await makeActor(t.db, { role: 'admin' });
		const programme = await makeProgramme(t.db);
		const astor = await makeSchool(t.db, { name: 'Astor College', urn: '118937', phase: 'secondary', town: 'Dover' });
		const other = await makeSchool(t.db, { phase: 'secondary' });
		// Reached in two academic years (and their financial years and quarters), by headcount.
		for (const day of ['2024-10-08', '2025-11-12']) {
			const session = await makeSession(t.db, { programme_id: programme.id, starts_at: new Date(`${day}T10:00:00Z`) });
			for (const school of [astor, other]) {
				await makeBooking(t.db, { session_id: session.id, school_id: school.id, created_by: admin.id });
				await t.db
					.insertInto('attendance_headcount')
					.values({ session_id: session.id, school_id: school.id, year_group: 'Y8', count: 9, recorded_by: admin.id })
					.execute();
			}
		}
		await rebuildRollups(t.db);
		const before = await reachByPhase(t.db);
		expect(before.length).toBeGreaterThan(0);
		expect(before.every((r) => r.reached_secondary === 2 && r.reached_all_through === 0)).toBe(true);

		const values = { name: astor.name, urn: astor.urn ?? '', phase: 'all-through', town: astor.town };
		expect(await updateSchool(t.db, admin, astor.id, values)).toMatchObject({ ok: true });
		for (const [scope] of vi.mocked(reportFiguresChanged).mock.calls) await recountFigures(t.db, scope!);

		const after = await reachByPhase(t.db);
		expect(after).toEqual(await readRebuilt(t.db, reachByPhase));
		expect(after.map((r) => [r.reached_secondary, r.reached_all_through])).toEqual(before.map(() => [1, 1]));
	});
});
