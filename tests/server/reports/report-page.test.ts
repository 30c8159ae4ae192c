import { beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/lib/server/auth/session';
import { describeChart, hiddenCount } from '../../../src/lib/charts/describe';
import { londonParts } from '../../../src/lib/server/time';
import { academicYearOfDate } from '../../../src/lib/server/reports/periods';
import { latestDeliveredDay } from '../../../src/lib/server/reports/delivered.queries';
import { figuresAsOf, periodData, recentAcademicYears, reportContext, selectionQuery } from '../../../src/lib/server/reports/report-page';
import { refreshRollups } from '../../../src/lib/server/reports/rollups';
import { useTestDatabase } from '../../support/database';
import { makeActor, makeProgramme, makeSchool, makeSession } from '../../support/factories';

const t = useTestDatabase();
const params = (query: string) => new URLSearchParams(query);
const allFields = ['programme', 'school', 'phase', 'town'] as const;

let viewer: Actor;
let programmeId: string;
let schoolId: string;
beforeEach(async () => {
	viewer = await makeActor(t.db, { role: 'viewer' });
	programmeId = (await makeProgramme(t.db)).id;
	schoolId = (await makeSchool(t.db)).id;
});

describe('the choices a report page starts from', () => {
	it('keeps what was typed beside each message, and shows no period while there are errors', async () => {
		const context = await reportContext(t.db, viewer, params('period=quarter&year=20x8&quarter=7&phase=nursery'), allFields);
		expect(context.errors).toEqual({ year: expect.stringContaining('4 digits'), quarter: expect.any(String), phase: expect.any(String) });
		expect(context.values).toMatchObject({ period: 'quarter', year: '20x8', quarter: '7', phase: 'nursery' });
		expect(periodData(context)).toBeNull();
	});

	it('fills the form from the period shown when none was chosen', async () => {
		const context = await reportContext(t.db, viewer, params(''), allFields);
		const year = academicYearOfDate(londonParts(new Date()).date);
		expect(context.errors).toEqual({});
		expect(context.values).toMatchObject({ period: 'academic', year: String(year), from: `${year}-09-01`, to: `${year + 1}-08-31`, programme: '' });
		expect(periodData(context)).toMatchObject({ label: `Academic year ${year} to ${year + 1}` });
	});

	it('opens on the latest academic year with a session delivered, not on an empty current year', async () => {
		const day = 24 * 60 * 60 * 1000;
		await makeSession(t.db, { starts_at: '2019-06-12T08:30:00Z' });
		await makeSession(t.db, { starts_at: new Date(Date.now() - 400 * day), status: 'cancelled' });
		await makeSession(t.db, { starts_at: new Date(Date.now() + 30 * day) });
		const opened = await reportContext(t.db, viewer, params(''), allFields);
		expect(opened.selection.period).toMatchObject({ kind: 'academic', from: '2018-09-01', to: '2019-08-31' });
		expect(await latestDeliveredDay(t.db)).toBe('2019-06-12');

		await makeSession(t.db, { starts_at: new Date(Date.now() - 60_000) });
		const today = londonParts(new Date()).date;
		expect(await latestDeliveredDay(t.db)).toBe(today);
		const year = academicYearOfDate(today);
		expect((await reportContext(t.db, viewer, params(''), allFields)).selection.period).toMatchObject({ from: `${year}-09-01` });
	});

	it('ignores filters the page does not offer, so they neither narrow the figures nor bring a message', async () => {
		const context = await reportContext(t.db, viewer, params(`period=academic&year=2018&school=not-a-school&programme=${programmeId}`), ['programme']);
		expect(context.errors).toEqual({});
		expect(context.selection).toMatchObject({ programmeId });
		expect(context.selection.schoolId).toBeUndefined();
	});

	it('takes an empty choice ("All programmes") as no choice', async () => {
		const context = await reportContext(t.db, viewer, params('period=academic&year=2018&programme=&school=&phase=&town='), allFields);
		expect(context.errors).toEqual({});
		expect(context.selection).toEqual({ period: expect.objectContaining({ from: '2018-09-01', to: '2019-08-31' }) });
	});

	it('uses the defaults only when no period was chosen', async () => {
		const defaults = recentAcademicYears('2026-11-27');
		expect(defaults).toEqual({ period: 'dates', from: '2024-09-01', to: '2027-08-31' });
		const unchosen = await reportContext(t.db, viewer, params(''), allFields, defaults);
		expect(unchosen.selection.period).toMatchObject({ kind: 'dates', from: '2024-09-01', to: '2027-08-31' });
		const chosen = await reportContext(t.db, viewer, params('period=financial&year=2019'), allFields, defaults);
		expect(chosen.selection.period).toMatchObject({ kind: 'financial', from: '2019-04-01', to: '2020-03-31' });
	});

	it("says when a standard period's figures were last counted, and nothing for a range of dates counted as asked", async () => {
		const { refreshedAt } = await refreshRollups(t.db);
		expect(refreshedAt).not.toBeNull();
		const year = await reportContext(t.db, viewer, params('period=financial&year=2019'), allFields);
		expect(await figuresAsOf(t.db, year)).toEqual({ countedAt: refreshedAt!.toISOString(), failedAt: null });
		const dates = await reportContext(t.db, viewer, params('period=dates&from=2019-01-01&to=2019-01-31'), allFields);
		expect(await figuresAsOf(t.db, dates)).toBeNull();
		const wrong = await reportContext(t.db, viewer, params('period=financial&year=x'), allFields);
		expect(await figuresAsOf(t.db, wrong)).toBeNull();
	});

	it('gives links that ask for the same selection again', async () => {
		const query = `period=quarter&year=2019&quarter=2&programme=${programmeId}&school=${schoolId}&phase=secondary&town=Deal`;
		const context = await reportContext(t.db, viewer, params(query), allFields);
		expect(context.errors).toEqual({});
		const again = await reportContext(t.db, viewer, params(selectionQuery(context.selection)), allFields);
		expect(again.selection).toEqual(context.selection);
		expect(selectionQuery(context.selection, ['programme'])).toBe(`period=quarter&year=2019&quarter=2&programme=${programmeId}`);
	});
});

describe("a chart's description for screen readers", () => {
	const cell = (value: number | null, text = String(value)) => ({ text, value });

	it('reads out a few categories one by one and counts the hidden ones', () => {
		const series = [{ label: 'Young people reached', cells: [cell(802), cell(null, 'c'), cell(0)] }];
		expect(hiddenCount(series)).toBe(1);
		const text = describeChart('Young people reached by programme', ['Youth Conference', 'Arts', 'Workshops'], series);
		expect(text).toContain('Youth Conference 802');
		expect(text).toContain('Workshops 0');
		expect(text).not.toContain('Arts');
		expect(text).toContain('1 figure is hidden');
	});

	it('gives the highest and lowest of a long list', () => {
		const labels = Array.from({ length: 12 }, (_, i) => `School ${i + 1}`);
		const cells = labels.map((_, i) => cell(i === 4 ? 90 : 10 + i));
		const text = describeChart('Attendance by school', labels, [{ label: 'Attended', cells }]);
		expect(text).toContain('highest School 5 (90)');
		expect(text).toContain('lowest School 1 (10)');
	});
});
