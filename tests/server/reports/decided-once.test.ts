import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../../../src/lib/server/auth/session';
import { suppressLinked } from '../../../src/lib/server/reports/disclosure';
import { decisionsWarmed, heldDecisions, warmDecisions } from '../../../src/lib/server/reports/decided';
import { figuresChanged, figuresGeneration, startKeeping, stopKeeping } from '../../../src/lib/server/reports/kept';
import { districtCells, peopleCounts } from '../../../src/lib/server/reports/linked-figures';
import { academicYear, financialQuarter, financialYear, type Period } from '../../../src/lib/server/reports/periods';
import {
	bySchoolDownload,
	overviewPage,
	pccReturnPage,
	programmePage,
	schoolPage,
	schoolsPage,
	trendPage
} from '../../../src/lib/server/reports/reports.service';
import { recountFigures, refreshRollups, startRollupSchedule, stopRollupSchedule } from '../../../src/lib/server/reports/rollups';
import { fromLondon } from '../../../src/lib/server/time';
import { useTestDatabase } from '../../support/database';
import { makeActor, makeProgramme, makeSchool, makeSession, makeUser } from '../../support/factories';
import { makeYoungPerson } from '../../support/young-people-world';
import { mulberry32 } from '../../support/seeded';

// The suppression decision is made once per change of the figures and shared by every request
// (decided.ts). What readers see must be exactly what deciding on every request gives: every
// page and download of a suppressed reader is read with decisions shared and without, for
// several periods and choices, before and after a change; and a change, or one that comes
// while a decision is being made, makes it again.

vi.mock('../../../src/lib/server/reports/disclosure', async (importOriginal) => {
	const actual = await importOriginal<typeof import('../../../src/lib/server/reports/disclosure')>();
	return { ...actual, suppressLinked: vi.fn(actual.suppressLinked) };
});

/** How many tables of linked figures have been suppressed so far: each decision suppresses several. */
const suppressed = () => vi.mocked(suppressLinked).mock.calls.length;

const t = useTestDatabase();
const SEED = 20261203;

// Kept reports would answer a second request whole; here every request is computed, and only the decision is shared.
let reportKeep: string | undefined;
beforeAll(() => {
	reportKeep = process.env.REPORT_KEEP;
	process.env.REPORT_KEEP = 'off';
});
afterAll(() => {
	if (reportKeep === undefined) delete process.env.REPORT_KEEP;
	else process.env.REPORT_KEEP = reportKeep;
});
afterEach(async () => {
	await stopRollupSchedule();
	stopKeeping();
});

/** Random attendance over the financial years 2023 and 2024, and a small school whose two young people came to one session in 2024's second quarter. */
async function makeWorld() {
	const random = mulberry32(SEED);
	const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
	const lead = await makeUser(t.db, { role: 'lead' });
	const programmes = [
		await makeProgramme(t.db, { name: 'Programme A', register_kind: 'named' }),
		await makeProgramme(t.db, { name: 'Programme B', register_kind: 'named' })
	];
	const schools = [await makeSchool(t.db, { name: 'School A' }), await makeSchool(t.db, { name: 'School B' }), await makeSchool(t.db, { name: 'School C' })];
	const pupils = new Map<string, { id: string }[]>();
	for (const s of schools) {
		const list = [];
		for (let i = 0; i < 8; i++) list.push(await makeYoungPerson(t.db, { school_id: s.id, reception_year: 2012 }));
		pupils.set(s.id, list);
	}
	const mark = (sessionId: string, youngPersonId: string) =>
		t.db.insertInto('attendance_mark').values({ session_id: sessionId, young_person_id: youngPersonId, status: 'present', recorded_by: lead.id }).execute();
	const start = Date.UTC(2023, 3, 1);
	for (let n = 0; n < 30; n++) {
		const date = new Date(start + Math.floor(random() * 731) * 86_400_000).toISOString().slice(0, 10);
		const session = await makeSession(t.db, {
			programme_id: pick(programmes).id,
			starts_at: fromLondon(date, '10:00'),
			ends_at: fromLondon(date, '12:00'),
			status: 'completed'
		});
		const came = new Set<string>();
		const howMany = Math.floor(random() * 6);
		for (let k = 0; k < howMany; k++) came.add(pick(pupils.get(pick(schools).id)!).id);
		for (const id of came) await mark(session.id, id);
	}
	const small = await makeSchool(t.db, { name: 'School D' });
	const smallPupils: { id: string }[] = [];
	for (let i = 0; i < 6; i++) smallPupils.push(await makeYoungPerson(t.db, { school_id: small.id, reception_year: 2012 }));
	const session = await makeSession(t.db, {
		programme_id: programmes[0]!.id,
		starts_at: fromLondon('2024-08-14', '10:00'),
		ends_at: fromLondon('2024-08-14', '12:00'),
		status: 'completed'
	});
	for (const p of smallPupils.slice(0, 2)) await mark(session.id, p.id);
	await refreshRollups(t.db);

	const viewer = await makeActor(t.db, { role: 'viewer' });
	const admin = await makeActor(t.db, { role: 'admin' });
	const contact = await makeActor(t.db, { role: 'school', schoolId: schools[0]!.id });
	/** Four more of the small school's young people come to its session: its young people reached go from 2 (hidden) to 6. */
	const change = async () => {
		for (const p of smallPupils.slice(2)) await mark(session.id, p.id);
		await recountFigures(t.db, { sessions: [session.id] });
	};
	return { programmes, schools, small, viewer, admin, contact, change };
}

type World = Awaited<ReturnType<typeof makeWorld>>;

const PERIODS: Period[] = [financialYear(2024), financialQuarter(2024, 2), academicYear(2023)];
const query = (period: Period, extra: Record<string, string> = {}) => new URLSearchParams({ ...period.query, ...extra });

/** Every page and download a suppressed reader (a report viewer, a school contact; an admin's file) can have for a period, as they are given. */
async function readEverything(world: World, period: Period) {
	const { viewer, admin, contact, programmes, schools, small } = world;
	const read: Record<string, unknown> = {};
	read.overview = await overviewPage(t.db, viewer, query(period));
	for (const p of programmes) {
		read[`overview ${p.name}`] = await overviewPage(t.db, viewer, query(period, { programme: p.id }));
		read[`programme ${p.name}`] = await programmePage(t.db, viewer, p.id, query(period));
	}
	read.schools = await schoolsPage(t.db, viewer, query(period));
	read['schools D'] = await schoolsPage(t.db, viewer, query(period, { school: small.id }));
	const file = async (actor: Actor, extra: Record<string, string> = {}) => {
		const result = await bySchoolDownload(t.db, actor, query(period, extra));
		if (!result.ok) throw new Error(`no by-school file: ${JSON.stringify(result)}`);
		return result.file.body;
	};
	read['schools.csv'] = await file(viewer);
	read['schools.csv by an admin'] = await file(admin);
	read['schools.csv D'] = await file(viewer, { school: small.id });
	for (const s of [schools[1]!, small]) read[`school ${s.name}`] = await schoolPage(t.db, viewer, s.id, query(period));
	read['school A by its contact'] = await schoolPage(t.db, contact, schools[0]!.id, query(period));
	read['school A by its contact, programme A'] = await schoolPage(t.db, contact, schools[0]!.id, query(period, { programme: programmes[0]!.id }));
	if (period.kind !== 'academic') read.trend = await trendPage(t.db, viewer, query(period));
	read.pcc = await pccReturnPage(t.db, viewer, query(period));
	return read;
}

/** What every reader gets for every period: with decisions shared (asked twice, the second time from what is held), and decided on each request. */
async function readWithAndWithout(world: World) {
	startKeeping();
	const shared = [];
	const sharedAgain = [];
	const before = suppressed();
	for (const period of PERIODS) shared.push(await readEverything(world, period));
	const decided = suppressed();
	for (const period of PERIODS) sharedAgain.push(await readEverything(world, period));
	const decidedAgain = suppressed() - decided;
	stopKeeping();
	const each = [];
	const unshared = suppressed();
	for (const period of PERIODS) each.push(await readEverything(world, period));
	return { shared, sharedAgain, each, decisions: { first: decided - before, again: decidedAgain, each: suppressed() - unshared } };
}

/** The young people reached the by-school page shows for the small school in 2024's second quarter, to a report viewer. */
async function smallSchoolReached(world: World) {
	const page = await schoolsPage(t.db, world.viewer, query(financialQuarter(2024, 2)));
	if (!page.ok || !page.page.schools) throw new Error('no schools page');
	return page.page.schools.rows.find((r) => r.id === world.small.id)!.cells.youngPeopleReached.text;
}

describe('suppression decisions made once per change of the figures', () => {
	it('give every page and file exactly what deciding on each request gives, before and after a change, and are made again after it', async () => {
		const world = await makeWorld();
		const before = await readWithAndWithout(world);
		expect(before.decisions.first).toBeGreaterThan(0);
		// Asked again, nothing is decided: every page was read from what was decided the first time.
		expect(before.decisions.again).toBe(0);
		expect(before.decisions.each).toBeGreaterThan(before.decisions.first);
		expect(before.shared).toEqual(before.each);
		expect(before.sharedAgain).toEqual(before.each);
		expect(await smallSchoolReached(world)).toBe('c');

		// Decisions held from before the change, then the change (counted again, as after a register is saved).
		startKeeping();
		for (const period of PERIODS) await readEverything(world, period);
		const held = suppressed();
		await world.change();
		expect(await smallSchoolReached(world)).toBe('6');
		expect(suppressed()).toBeGreaterThan(held);
		stopKeeping();

		const after = await readWithAndWithout(world);
		expect(after.decisions.first).toBeGreaterThan(0);
		expect(after.decisions.again).toBe(0);
		expect(after.shared).toEqual(after.each);
		expect(after.sharedAgain).toEqual(after.each);
		// The change shows: the decision held before it would have hidden the small school's 6.
		expect(after.each).not.toEqual(before.each);
		// Every page read ten times over: slow where tests share a busy machine.
	}, 120_000);

	it('never holds a decision made while the figures changed', async () => {
		const world = await makeWorld();
		const period = financialYear(2024);
		startKeeping();
		const first = await districtCells(t.db, period, 5);
		expect(await districtCells(t.db, period, 5)).toBe(first);
		expect(heldDecisions().count).toBe(1);

		// The figures change while the next decision is being made (it reads the database first).
		figuresChanged();
		const asked = suppressed();
		const making = districtCells(t.db, period, 5);
		await world.change();
		// Made from what it read (before the change or after it: a year decided from the same figures is the same decision, decided.ts `decidedFrom`), and not held.
		await making;
		expect(heldDecisions().count).toBe(0);
		// Asked again, it is made again, from the figures after the change, and held.
		const again = await districtCells(t.db, period, 5);
		expect(again).not.toEqual(first);
		expect(suppressed()).toBeGreaterThan(asked);
		expect(await districtCells(t.db, period, 5)).toBe(again);
		expect(heldDecisions().count).toBe(1);
	});

	it("makes the district's decisions asked for again as soon as the figures change, so the next request decides nothing", async () => {
		await makeWorld();
		const generation = figuresGeneration();
		// A rebuild that changes nothing: the schedule's first one, when it starts.
		startRollupSchedule(() => t.db, { rebuild: async () => {} });
		await vi.waitFor(() => expect(figuresGeneration()).not.toBe(generation));
		await decisionsWarmed();
		const periods = [financialYear(2024), financialQuarter(2023, 1)];
		for (const period of periods) await districtCells(t.db, period, 5);
		expect(heldDecisions().count).toBe(2);

		await recountFigures(t.db, {});
		await decisionsWarmed();
		expect(heldDecisions().count).toBe(2);
		const asked = suppressed();
		for (const period of periods) await districtCells(t.db, period, 5);
		expect(suppressed()).toBe(asked);
	});

	it('decides again only the financial year a change touched: an academic year after a change in one of its two', async () => {
		const world = await makeWorld();
		const period = academicYear(2023);
		startKeeping();
		await districtCells(t.db, period, 5);
		// The small school's session is in 2024-25: the financial year 2023-24 is as it was.
		await world.change();
		const asked = suppressed();
		const after = await districtCells(t.db, period, 5);
		// The academic year's own tables and 2024-25's, not 2023-24's again: one table per count of people in each.
		expect(suppressed() - asked).toBe(2 * peopleCounts.length);
		stopKeeping();
		const decidedWhole = suppressed();
		expect(await districtCells(t.db, period, 5)).toEqual(after);
		expect(suppressed() - decidedWhole).toBe(3 * peopleCounts.length);
	});

	it('decides on every request where this process does not follow the figures (no schedule)', async () => {
		await makeWorld();
		const period = financialYear(2024);
		const first = await districtCells(t.db, period, 5);
		expect(await districtCells(t.db, period, 5)).not.toBe(first);
		expect(heldDecisions().count).toBe(0);
		warmDecisions(t.db);
		await decisionsWarmed();
		expect(heldDecisions().count).toBe(0);
	});
});
