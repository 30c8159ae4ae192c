import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/lib/server/auth/session';
import { seedDemo } from '../../../src/lib/server/demo/seed';
import { toCsv } from '../../../src/lib/server/exports/csv';
import { pccReturn, pccReturnSheets, presentPccReturn, saveNarrative } from '../../../src/lib/server/reports/pcc-return';
import { academicYear, financialYear } from '../../../src/lib/server/reports/periods';
import { reportOptions, type ReportOptions } from '../../../src/lib/server/reports/report-page';
import { columns } from '../../../src/lib/server/reports/report-table';
import { useTestDatabase } from '../../support/database';
import { actorFor, auditEvents } from '../../support/factories';

const t = useTestDatabase();
const csv = readFileSync(new URL('../../../src/lib/server/demo/demo-schools.csv', import.meta.url), 'utf8');
const year = academicYear(2018);

async function actor(email: string): Promise<Actor> {
	return actorFor(await t.db.selectFrom('app_user').selectAll().where('email', '=', email).executeTakeFirstOrThrow());
}

let options: ReportOptions;
beforeEach(async () => {
	await seedDemo(t.db, csv);
	options = await reportOptions(t.db, await actor('admin@demo.test'));
});

describe('the return to the PCC', () => {
	it("gives each programme its priorities and figures, and the plan's totals", async () => {
		const admin = await actor('admin@demo.test');
		const shown = presentPccReturn(await pccReturn(t.db, admin, { period: year }, options));
		const conference = shown.programmes.find((p) => p.name === 'Youth Conference')!;
		expect(conference).toMatchObject({ priority: 'Safeguarding', tags: ['Protect people from exploitation and abuse', 'Reduce violence'], canEdit: true });
		expect(conference.cells.youngPeopleReached.text).toBe('802');
		// 160 pupils answered 3 statements before and after; most answers were better after.
		expect(conference.outcome.pairs.value).toBe(160);
		expect(conference.outcome.shareImproved.value).toBeGreaterThan(50);
		expect(conference.outcome.meanChange.value).toBeGreaterThan(0);
		expect(shown.total.discovery.value! + shown.total.explorer.value! + shown.total.conserver.value!).toBe(25);
	});

	it('downloads suppressed, whoever makes it, with no young person named, and numbers as numbers', async () => {
		const admin = await actor('admin@demo.test');
		const sheets = pccReturnSheets(await pccReturn(t.db, admin, { period: year }, options, true), new Date('2026-11-27T12:00:00Z'));
		expect(sheets.map((s) => s.name)).toEqual(['Programmes', 'Outcomes', 'About']);
		const [header, ...rows] = sheets[0]!.rows;
		expect(header).toContain('Young people reached');
		const reached = header!.indexOf('Young people reached');
		expect(rows.find((r) => r[0] === 'Youth Conference')![reached]).toBe(802);
		// Every count of people is 0, 5 or more, or c; and c appears (the demo has small counts).
		const peopleColumns = columns.filter((c) => c.people && c.format === 'count').map((c) => header!.indexOf(c.label));
		const peopleCells = [
			...rows.flatMap((r) => peopleColumns.map((i) => r[i])),
			...rows.map((r) => r[header!.indexOf('Outcome: people answering before and after')])
		];
		for (const cell of peopleCells) expect(cell === 'c' || cell === 0 || (typeof cell === 'number' && cell >= 5), String(cell)).toBe(true);
		expect(peopleCells).toContain('c');
		const names = await t.db.selectFrom('young_person').select(['first_name', 'last_name']).execute();
		const text = JSON.stringify(sheets);
		for (const { last_name } of names.slice(0, 50)) expect(text).not.toContain(`"${last_name}"`);
		// Dates as people write them, and when it was made in UK time (in November that is UTC).
		const about = Object.fromEntries(sheets[2]!.rows.map((r) => [r[0], r[1]]));
		expect(about['From']).toMatch(/^\d{1,2} [A-Z][a-z]+ \d{4}$/);
		expect(about['Made (UK time)']).toMatch(/^27 Nov 2026,? 12:00$/);
	});

	it('keeps a narrative per programme and period, escapes it in the download, and audits it without the text', async () => {
		const lead = await actor('lead@demo.test');
		const programme = options.programmes.find((p) => p.name === 'Gang Awareness Workshops')!;
		const saved = await saveNarrative(t.db, lead, year, { programmeId: programme.id, narrative: '=HYPERLINK("http://example.org")  six workshops were held' });
		expect(saved).toEqual({ ok: true });
		const sheets = pccReturnSheets(await pccReturn(t.db, lead, { period: year }, options, true), new Date());
		const file = toCsv({ header: sheets[0]!.rows[0]!.map(String), rows: sheets[0]!.rows.slice(1) });
		expect(file).toContain(`"'=HYPERLINK(""http://example.org"")  six workshops were held"`);
		// Another period has its own (empty) narrative.
		const other = presentPccReturn(await pccReturn(t.db, lead, { period: financialYear(2018) }, options));
		expect(other.programmes.find((p) => p.id === programme.id)!.narrative).toBe('');
		const [audit] = await auditEvents(t.db, 'pcc_narrative.saved');
		expect(JSON.stringify(audit)).not.toContain('HYPERLINK');
	});

	it('refuses a narrative that is too long, and anyone who does not lead the programme', async () => {
		const lead = await actor('lead@demo.test');
		const programme = options.programmes[0]!;
		expect(await saveNarrative(t.db, lead, year, { programmeId: programme.id, narrative: 'x'.repeat(1501) })).toMatchObject({
			ok: false,
			code: 'invalid',
			errors: { [`narrative-${programme.id}`]: expect.stringContaining('1500 characters') }
		});
		await expect(saveNarrative(t.db, await actor('viewer@demo.test'), year, { programmeId: programme.id, narrative: 'Hello' })).rejects.toMatchObject({
			status: 404
		});
		await expect(pccReturn(t.db, await actor('school@demo.test'), { period: year }, options)).rejects.toMatchObject({ status: 404 });
	});

	it('answers a programme id that is not an id with the same 404, audited without the text', async () => {
		const admin = await actor('admin@demo.test');
		for (const programmeId of ['', 'not-an-id']) {
			await expect(saveNarrative(t.db, admin, year, { programmeId, narrative: 'Hello' })).rejects.toMatchObject({ status: 404 });
		}
		const refusals = await auditEvents(t.db, 'access.refused');
		expect(refusals.length).toBeGreaterThanOrEqual(2);
		expect(JSON.stringify(refusals)).not.toContain('not-an-id');
	});

	it('shows a report viewer small counts as c', async () => {
		const viewer = await actor('viewer@demo.test');
		const shown = presentPccReturn(await pccReturn(t.db, viewer, { period: year }, options));
		expect(shown.threshold).toBe(5);
		expect(shown.programmes.every((p) => p.canEdit === false)).toBe(true);
		const people = columns.filter((c) => c.people && c.format === 'count').map((c) => c.measure);
		const cells = shown.programmes.flatMap((p) => people.map((m) => p.cells[m]));
		for (const cell of cells) expect(cell.text === 'c' ? cell.value === null : cell.value === 0 || cell.value! >= 5, cell.text).toBe(true);
		expect(cells.some((c) => c.text === 'c')).toBe(true);
	});
});
