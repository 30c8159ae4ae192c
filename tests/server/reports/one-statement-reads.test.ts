import { describe, expect, it } from 'vitest';
import { listProgrammes } from '../../../src/lib/server/programmes/programmes.queries';
import { academicYear, academicYearOfDate, financialQuarter, financialYear, type Period } from '../../../src/lib/server/reports/periods';
import {
	countSchoolsReachedByPhase,
	emptyFigures,
	listReportOptions,
	overviewFigures,
	reachByPhase,
	reportFigures,
	reportFiguresAndTotal,
	schoolsByPhase,
	type ReportFilter
} from '../../../src/lib/server/reports/reports.queries';
import { presentTable } from '../../../src/lib/server/reports/present';
import { reportContext, reportOptions } from '../../../src/lib/server/reports/report-page';
import { districtOverview } from '../../../src/lib/server/reports/reports.service';
import { refreshRollups } from '../../../src/lib/server/reports/rollups';
import { listSchools } from '../../../src/lib/server/schools/schools.queries';
import { fromLondon } from '../../../src/lib/server/time';
import { useTestDatabase } from '../../support/database';
import { makeActor, makeProgramme, makeSchool, makeSession, makeUser } from '../../support/factories';
import { makeYoungPerson } from '../../support/young-people-world';
import { enterAnonymous, makeOutcomesWorld, SESSION_DATE } from '../../support/outcomes-world';
import { outcomeSummaries } from '../../../src/lib/server/outcomes/outcomes.summary';
import { listOutcomeRows } from '../../../src/lib/server/outcomes/outcomes.queries';

// A computed report reads what it needs in as few statements as it can (issue 15): the filter's
// choices in one, a report's rows with its total in one, each phase's schools and those reached
// in one. Each must hold exactly what the separate reads it replaced give, for every period kind
// and choice a report offers; an inactive school that was reached counts as reached, not as one
// of the phase's schools, as before.

const t = useTestDatabase();

async function makeWorld() {
	const lead = await makeUser(t.db, { role: 'lead' });
	const programmes = [
		await makeProgramme(t.db, { name: 'Programme B', register_kind: 'named', pcc_tags: ['Youth'] }),
		await makeProgramme(t.db, { name: 'Programme A', register_kind: 'named' })
	];
	const schools = [
		await makeSchool(t.db, { name: 'School C', phase: 'secondary', town: 'Dover' }),
		await makeSchool(t.db, { name: 'School A', phase: 'primary', town: 'Deal' }),
		await makeSchool(t.db, { name: 'School B', phase: 'primary', town: 'Dover' }),
		await makeSchool(t.db, { name: 'School D', phase: 'secondary', town: 'Sandwich' })
	];
	const closed = await makeSchool(t.db, { name: 'School E', phase: 'primary', town: 'Deal' });
	const pupils = await Promise.all(
		[...schools.slice(0, 3), closed].flatMap((s) => [0, 1, 2].map(() => makeYoungPerson(t.db, { school_id: s.id, reception_year: 2011 })))
	);
	const dates = ['2019-05-10', '2019-07-01', '2019-10-15', '2020-01-20', '2020-03-02', '2020-06-11'];
	for (const [d, date] of dates.entries()) {
		const session = await makeSession(t.db, { programme_id: programmes[d % 2]!.id, starts_at: fromLondon(date, '10:00'), status: 'completed' });
		const marks = pupils
			.filter((_, i) => (i + d) % 4 !== 0)
			.map((y) => ({ session_id: session.id, young_person_id: y.id, status: 'present' as const, recorded_by: lead.id }));
		await t.db.insertInto('attendance_mark').values(marks).execute();
	}
	// Reached while open, closed since.
	await t.db.updateTable('school').set({ active: false }).where('id', '=', closed.id).execute();
	await refreshRollups(t.db);
	return { programmes, schools };
}

const PERIODS: Period[] = [financialYear(2019), financialQuarter(2019, 1), financialQuarter(2019, 4), academicYear(2019), academicYear(2018)];

describe('reads of one statement', () => {
	it('hold what the separate reads gave, for each period and choice', async () => {
		const { programmes, schools } = await makeWorld();
		const choices: Partial<ReportFilter>[] = [
			{},
			{ programmeIds: [programmes[0]!.id] },
			{ phase: 'primary' },
			{ town: 'Dover' },
			{ schoolIds: [schools[1]!.id] },
			{ programmeIds: [programmes[1]!.id], phase: 'secondary' }
		];
		let reached = 0;
		for (const period of PERIODS) {
			for (const choice of choices) {
				const filter: ReportFilter = { from: period.from, to: period.to, periodKind: period.kind, ...choice };
				const label = `${period.label} ${JSON.stringify(choice)}`;

				const [phases, counted] = await Promise.all([schoolsByPhase(t.db, filter), countSchoolsReachedByPhase(t.db, filter)]);
				const separate = phases.map((p) => ({ ...p, reached: counted.find((r) => r.phase === p.phase)?.reached ?? 0 }));
				const sorted = <T extends { phase: string }>(rows: T[]) => [...rows].sort((a, b) => a.phase.localeCompare(b.phase));
				const together = await reachByPhase(t.db, filter);
				expect(sorted(together), label).toEqual(sorted(separate));
				reached += together.reduce((n, p) => n + p.reached, 0);

				for (const key of ['programme', 'school'] as const) {
					const [rows, total] = await Promise.all([reportFigures(t.db, filter, key), reportFigures(t.db, filter, 'total')]);
					const read = await reportFiguresAndTotal(t.db, filter, key);
					expect(read.rows, `${label} by ${key}`).toEqual(rows);
					expect(read.total, `${label} by ${key}, total`).toEqual(total.get('total') ?? emptyFigures('total'));
				}
			}
		}
		// The world has something in it, and the closed school counts as reached in 2019-20 (3 open and 1 closed).
		expect(reached).toBeGreaterThan(20);
		expect(
			(await reachByPhase(t.db, { from: academicYear(2019).from, to: academicYear(2019).to, periodKind: 'academic' }))
				.map((p) => [p.phase, p.schools, p.reached])
				.sort()
		).toEqual([
			['primary', 2, 3],
			['secondary', 2, 1]
		]);
	});

	it('offer the choices the separate reads gave: programmes by name, active schools by name', async () => {
		await makeWorld();
		const options = await listReportOptions(t.db);
		expect(options.programmes).toEqual(
			(await listProgrammes(t.db)).map((p) => ({ id: p.id, name: p.name, shape: p.shape, partnership_priority: p.partnership_priority, pcc_tags: p.pcc_tags }))
		);
		expect(options.schools).toEqual((await listSchools(t.db)).map((s) => ({ id: s.id, name: s.name, phase: s.phase, town: s.town })));
		expect(options.schools!.map((s) => s.name)).toEqual(['School A', 'School B', 'School C', 'School D']);
		expect(options.programmes.find((p) => p.name === 'Programme B')?.pcc_tags).toEqual(['Youth']);
		// The active schools of each phase, primary first; the closed school is not one of them.
		expect(options.schoolsByPhase).toEqual([
			{ phase: 'primary', schools: 2 },
			{ phase: 'secondary', schools: 2 }
		]);
		// Without the schools: the same programmes and counts, and no list of schools at all (not an empty one).
		expect(await listReportOptions(t.db, false)).toEqual({ programmes: options.programmes, schools: null, schoolsByPhase: options.schoolsByPhase });
	});

	it('leave out the schools only where the overview names none, and the overview is the same without them', async () => {
		const { programmes } = await makeWorld();
		const admin = await makeActor(t.db, { role: 'admin' });
		const viewer = await makeActor(t.db, { role: 'viewer' });
		const fields = ['programme', 'phase', 'town'] as const;
		const context = (query: string, f: readonly ('programme' | 'school' | 'phase' | 'town')[] = fields) =>
			reportContext(t.db, admin, new URLSearchParams(`period=financial&year=2019&${query}`), f, undefined, undefined, 'as chosen');
		expect((await context('')).options.schools).toBeNull();
		expect((await context(`programme=${programmes[0]!.id}`)).options.schools).toBeNull();
		expect((await context('phase=primary')).options.schools).toHaveLength(4);
		expect((await context('town=Dover')).options.schools).toHaveLength(4);
		expect((await context('', ['programme', 'school'])).options.schools).toHaveLength(4);
		// A page that reads every school does so whatever is chosen.
		const every = await reportContext(t.db, admin, new URLSearchParams('period=financial&year=2019'), fields);
		expect(every.options.schools).toHaveLength(4);

		// Exact for an admin, and suppressed for a viewer (the decision then reads the schools itself).
		for (const reader of [admin, viewer]) {
			for (const period of [financialYear(2019), financialQuarter(2019, 4), academicYear(2019)]) {
				const shown = async (withSchools: boolean) => {
					const overview = await districtOverview(t.db, reader, { period }, await reportOptions(t.db, reader, withSchools));
					return { table: presentTable(overview.programmes), phases: overview.phases, outcomes: overview.outcomes };
				};
				const without = await shown(false);
				expect(without, `${reader.role} ${period.label}`).toEqual(await shown(true));
				if (reader === viewer) expect(JSON.stringify(without.table)).toContain('"value":null');
			}
		}
	});
	it('read the overview’s figures, reach and outcomes in one statement as they read apart', async () => {
		const { programmes, schools } = await makeWorld();
		// Before-and-after answers in two programmes, two statements each, so their order shows.
		for (const codes of [['AB12', 'CD34'], ['EF56']]) {
			const world = await makeOutcomesWorld(t.db);
			for (const [i, code] of codes.entries()) {
				await enterAnonymous(t.db, world, code, 'before', [2, 3 + i]);
				await enterAnonymous(t.db, world, code, 'after', [4, 3]);
			}
			await enterAnonymous(t.db, world, 'GH78', 'after', [5, null]);
		}
		await refreshRollups(t.db);
		const options = await listReportOptions(t.db, false);
		const programmeIds = options.programmes.map((p) => p.id);
		const year = academicYearOfDate(SESSION_DATE);
		let outcomesRead = 0;
		let reachedRead = 0;
		for (const period of [...PERIODS, academicYear(year), financialYear(year), financialQuarter(year, 4)]) {
			const filter: ReportFilter = { from: period.from, to: period.to, periodKind: period.kind };
			const together = await overviewFigures(t.db, filter, programmeIds, options.schoolsByPhase);
			const { rows, total } = await reportFiguresAndTotal(t.db, filter, 'programme');
			expect(together, period.label).toEqual({
				rows,
				total,
				reach: await reachByPhase(t.db, filter),
				outcomes: await listOutcomeRows(t.db, { from: filter.from, to: filter.to, programmeIds })
			});
			outcomesRead += together!.outcomes.length;
			reachedRead += together!.reach.reduce((n, p) => n + p.reached, 0);
			// A programme's outcomes only: the same rows as the summaries read for it.
			const one = await overviewFigures(t.db, filter, [programmeIds[0]!], options.schoolsByPhase);
			expect(one!.outcomes.length, period.label).toEqual(
				(await outcomeSummaries(t.db, { from: filter.from, to: filter.to, programmeIds: [programmeIds[0]!] })).length
			);
		}
		// Something to compare: 2 programmes' 2 statements in each of the 3 periods holding the answers.
		expect(outcomesRead).toBe(12);
		// And schools reached, from the rollup's all-schools rows, beside the choices' count of each phase's schools.
		expect(reachedRead).toBeGreaterThan(0);
		// Not what the rollup holds, or with a programme or school chosen: read apart (null).
		const fy = financialYear(2019);
		for (const choice of [
			{ periodKind: 'dates' as const },
			{ programmeIds: [programmes[0]!.id] },
			{ schoolIds: [schools[0]!.id] },
			{ phase: 'primary' as const },
			{ town: 'Deal' as const }
		]) {
			expect(
				await overviewFigures(t.db, { from: fy.from, to: fy.to, periodKind: fy.kind, ...choice }, programmeIds, options.schoolsByPhase),
				JSON.stringify(choice)
			).toBeNull();
		}
	});
});
