import { beforeEach, describe, expect, it, vi } from 'vitest';
import { reportFiguresChanged } from '../../../src/lib/server/reports/rollups';
import { importSchools, updateSchool } from '../../../src/lib/server/schools/schools.service';
import { useTestDatabase } from '../../support/database';
import { makeActor, makeSchool } from '../../support/factories';

// The reports' reach by phase counts each school under the phase it has now, in every period
// (migration 20261208T0100): a school's new phase asks for a whole rebuild of the figures as well
// as for kept reports to be dropped at once (so a new name shows without waiting for it); any
// other edit only for kept reports to be dropped.

vi.mock('../../../src/lib/server/reports/rollups', async (importOriginal) => ({
	...(await importOriginal<typeof import('../../../src/lib/server/reports/rollups')>()),
	reportFiguresChanged: vi.fn()
}));

const t = useTestDatabase();
beforeEach(() => vi.mocked(reportFiguresChanged).mockClear());

const calls = () => vi.mocked(reportFiguresChanged).mock.calls.map(([scope]) => (scope === undefined ? 'rebuild' : scope));

describe("a school's phase and the report figures", () => {
	it('asks for a rebuild as well when a school is given a new phase on its page, and not for a new name', async () => {
		const admin = await makeActor(t.db);
		const school = await makeSchool(t.db, { name: 'Astor College', urn: '118937', phase: 'secondary', town: 'Dover' });
		const values = { name: 'Astor College', urn: '118937', phase: 'secondary', town: 'Dover' };
		expect(await updateSchool(t.db, admin, school.id, { ...values, name: 'The Astor College' })).toMatchObject({ ok: true });
		expect(calls()).toEqual([{}]);
		vi.mocked(reportFiguresChanged).mockClear();
		expect(await updateSchool(t.db, admin, school.id, { ...values, name: 'The Astor College', phase: 'all-through' })).toMatchObject({ ok: true });
		expect(calls()).toEqual([{}, 'rebuild']);
	});

	it('asks for a rebuild when an import changes a school’s phase, and not when it changes only its name', async () => {
		const admin = await makeActor(t.db);
		await makeSchool(t.db, { name: 'Astor College', urn: '118937', phase: 'secondary', town: 'Dover' });
		const renamed = await importSchools(t.db, admin, 'name,urn,phase,town\nThe Astor College,118937,secondary,Dover\n');
		expect(renamed).toMatchObject({ ok: true, counts: { updated: 1 } });
		expect(calls()).toEqual([{}]);
		vi.mocked(reportFiguresChanged).mockClear();
		const rephased = await importSchools(t.db, admin, 'name,urn,phase,town\nThe Astor College,118937,all-through,Dover\n');
		expect(rephased).toMatchObject({ ok: true, counts: { updated: 1 } });
		expect(calls()).toEqual([{}, 'rebuild']);
	});
});
