import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/lib/server/auth/session';
import { exposedEntries, type CountTable } from '../../../src/lib/server/reports/disclosure';
import { startKeeping, stopKeeping } from '../../../src/lib/server/reports/kept';
import { academicYear, financialQuarter, financialYear, quarterOfDate, type Period } from '../../../src/lib/server/reports/periods';
import { columns } from '../../../src/lib/server/reports/report-table';
import {
	bySchoolDownload,
	overviewPage,
	pccReturnDownload,
	pccReturnPage,
	programmePage,
	schoolPage,
	schoolsPage,
	trendPage
} from '../../../src/lib/server/reports/reports.service';
import { refreshRollups } from '../../../src/lib/server/reports/rollups';
import { fromLondon } from '../../../src/lib/server/time';
import { useTestDatabase } from '../../support/database';
import { makeActor, makeProgramme, makeSchool, makeSession, makeUser } from '../../support/factories';
import { makeYoungPerson } from '../../support/young-people-world';
import { mulberry32 } from '../../support/seeded';

// An attacker's view of the reports. Random attendance over two financial years; then every page
// and download a report viewer and each school's contact can see, for every fixed period they
// can choose, is read and every figure shown is kept. From those, no count from 1 to 4 may be
// worked out: (a) by differences (a period less a period inside it, a year less the quarters
// shown inside it, the district less a programme or a school, a contact's district less their
// own school, in one period or across two), and (b) by the exact check on the tables the figures
// make together (programmes or schools by quarter, with the year and the district as totals).

const t = useTestDatabase();
const THRESHOLD = 5;
const SEED = 20261202;
const small = (value: number) => value >= 1 && value < THRESHOLD;

const peopleCounts = columns.filter((c) => c.people && c.format === 'count').map((c) => c.measure);
/** Counts that add up over time and over programmes; the others count different people. */
const additive = new Set<string>(peopleCounts.filter((m) => m !== 'youngPeopleReached' && m !== 'mentors' && m !== 'mentees'));

type ShownCell = { text: string; value: number | null };
type Figure = { measure: string; from: string; to: string; scope: string };
const key = (f: Figure) => `${f.measure}|${f.from}|${f.to}|${f.scope}`;
const parse = (k: string): Figure => {
	const [measure, from, to, scope] = k.split('|') as [string, string, string, string];
	return { measure, from, to, scope };
};

/** What one reader has seen: every figure shown, and which pages were read for which period. */
class Seen {
	figures = new Map<string, number>();
	reads = new Map<string, Set<string>>();
	constructor(readonly name: string) {}
	read(page: string, period: Period) {
		const periods = this.reads.get(page) ?? this.reads.set(page, new Set()).get(page)!;
		periods.add(`${period.from}|${period.to}`);
	}
	add(period: Pick<Period, 'from' | 'to'>, scope: string, measure: string, value: number | null | string) {
		if (value === null || value === 'c' || value === '' || value === undefined) return;
		const number = Number(value);
		const k = key({ measure, from: period.from, to: period.to, scope });
		const known = this.figures.get(k);
		if (known !== undefined && known !== number) throw new Error(`${this.name} saw ${k} as ${known} and as ${number}`);
		this.figures.set(k, number);
	}
	cells(period: Pick<Period, 'from' | 'to'>, scope: string, cells: Record<string, ShownCell>) {
		for (const m of peopleCounts) this.add(period, scope, m, cells[m]!.value);
	}
	/** A CSV file's rows, by the label in `labelColumn`, from the column headed as the report's first column. */
	csv(period: Period, body: string, scopeOf: (label: string) => string | undefined) {
		const lines = body
			.replace(/^\uFEFF/, '')
			.trim()
			.split(/\r?\n/)
			.map((l) => l.split(','));
		const header = lines[0]!;
		const first = header.indexOf(columns[0]!.label);
		for (const line of lines.slice(1)) {
			const scope = scopeOf(line[0]!);
			if (!scope) continue;
			columns.forEach((c, i) => {
				if (c.people && c.format === 'count') this.add(period, scope, c.measure, line[first + i]!);
			});
		}
	}
}

describe('disclosure control against differencing', () => {
	it('lets no count from 1 to 4 be worked out from every page and download a suppressed reader can see, for every pair of periods', async () => {
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
			for (let i = 0; i < 7; i++) list.push(await makeYoungPerson(t.db, { school_id: s.id, reception_year: 2012 }));
			pupils.set(s.id, list);
		}
		// Sessions on random days of the financial years 2023 and 2024, each with a few pupils from a school or two.
		const start = Date.UTC(2023, 3, 1);
		const days = 731;
		for (let n = 0; n < 40; n++) {
			const date = new Date(start + Math.floor(random() * days) * 86_400_000).toISOString().slice(0, 10);
			const session = await makeSession(t.db, {
				programme_id: pick(programmes).id,
				starts_at: fromLondon(date, '10:00'),
				ends_at: fromLondon(date, '12:00'),
				status: 'completed'
			});
			const came = new Set<string>();
			const howMany = Math.floor(random() * 5);
			for (let k = 0; k < howMany; k++) came.add(pick(pupils.get(pick(schools).id)!).id);
			for (const id of came) {
				await t.db.insertInto('attendance_mark').values({ session_id: session.id, young_person_id: id, status: 'present', recorded_by: lead.id }).execute();
			}
		}
		await refreshRollups(t.db);

		const years = [2023, 2024];
		const quarters = years.flatMap((y) => ([1, 2, 3, 4] as const).map((q) => financialQuarter(y, q)));
		const periods: Period[] = [...[2022, 2023, 2024].map(academicYear), ...years.map(financialYear), ...quarters];
		const query = (period: Period, extra: Record<string, string> = {}) => new URLSearchParams({ ...period.query, ...extra });
		const programmeScope = new Map(programmes.map((p) => [p.name, `programme ${p.id}`]));
		const schoolScope = new Map(schools.map((s) => [s.name, `school ${s.id}`]));

		const viewer = await makeActor(t.db, { role: 'viewer' });
		const admin = await makeActor(t.db, { role: 'admin' });
		const contacts = await Promise.all(schools.map((s) => makeActor(t.db, { role: 'school', schoolId: s.id })));

		/** Every page and download of the district for a reader who may read them. */
		async function readDistrict(actor: Actor, seen: Seen, period: Period) {
			const choices: Record<string, string>[] = [{}, ...programmes.map((p) => ({ programme: p.id }))];
			for (const extra of choices) {
				const scopeOfTotal = extra.programme ? `programme ${extra.programme}` : 'total';
				const overview = await overviewPage(t.db, actor, query(period, extra));
				if (!overview.ok || !overview.page.overview) throw new Error('no overview');
				seen.read(`overview ${JSON.stringify(extra)}`, period);
				for (const row of overview.page.overview.programmes.rows) seen.cells(period, `programme ${row.id}`, row.cells);
				seen.cells(period, scopeOfTotal, overview.page.overview.programmes.total);

				const pcc = await pccReturnPage(t.db, actor, query(period, extra));
				seen.read(`pcc ${JSON.stringify(extra)}`, period);
				for (const row of pcc.pcc?.programmes ?? []) seen.cells(period, `programme ${row.id}`, row.cells);
				if (pcc.pcc) seen.cells(period, scopeOfTotal, pcc.pcc.total);

				const file = await pccReturnDownload(t.db, actor, query(period, extra), 'csv');
				if (!file.ok) throw new Error(`no return file: ${JSON.stringify(file)}`);
				seen.read(`pcc.csv ${JSON.stringify(extra)}`, period);
				seen.csv(period, file.file.body as string, (label) => (label === 'Total' ? scopeOfTotal : programmeScope.get(label)));

				// A trend goes by a financial year's quarters.
				if (period.kind !== 'academic') {
					const trend = await trendPage(t.db, actor, query(period, extra));
					seen.read(`trend ${JSON.stringify(extra)}`, period);
					for (const row of trend.quarters?.rows ?? []) seen.cells(quarterOfDate(row.id), scopeOfTotal, row.cells);
					if (trend.quarters) seen.cells(period, scopeOfTotal, trend.quarters.total);
				}
			}
			for (const p of programmes) {
				const page = await programmePage(t.db, actor, p.id, query(period));
				seen.read(`programme ${p.id}`, period);
				if (page.figures) seen.cells(period, `programme ${p.id}`, page.figures);
			}
			for (const extra of [{}, ...schools.map((s) => ({ school: s.id }))] as Record<string, string>[]) {
				const scopeOfTotal = extra.school ? `school ${extra.school}` : 'total';
				const page = await schoolsPage(t.db, actor, query(period, extra));
				if (!page.ok || !page.page.schools) throw new Error('no schools page');
				seen.read(`schools ${JSON.stringify(extra)}`, period);
				for (const row of page.page.schools.rows) seen.cells(period, `school ${row.id}`, row.cells);
				seen.cells(period, scopeOfTotal, page.page.schools.total);
				const file = await bySchoolDownload(t.db, actor, query(period, extra));
				if (!file.ok) throw new Error(`no by-school file: ${JSON.stringify(file)}`);
				seen.read(`schools.csv ${JSON.stringify(extra)}`, period);
				seen.csv(period, file.file.body as string, (label) => (label === 'All schools' ? scopeOfTotal : schoolScope.get(label)));
			}
		}

		/** One school's page beside the district, with and without each programme chosen. */
		async function readSchool(actor: Actor, seen: Seen, period: Period, schoolId: string) {
			for (const extra of [{}, ...programmes.map((p) => ({ programme: p.id }))] as Record<string, string>[]) {
				const page = await schoolPage(t.db, actor, schoolId, query(period, extra));
				seen.read(`school ${schoolId} ${JSON.stringify(extra)}`, period);
				if (!page.own || !page.district) throw new Error('no school page');
				for (const row of page.own.rows) seen.cells(period, `programme ${row.id} school ${schoolId}`, row.cells);
				for (const row of page.district.rows) seen.cells(period, `programme ${row.id}`, row.cells);
				seen.cells(period, extra.programme ? `programme ${extra.programme} school ${schoolId}` : `school ${schoolId}`, page.own.total);
				seen.cells(period, extra.programme ? `programme ${extra.programme}` : 'total', page.district.total);
			}
		}

		startKeeping();
		const exact = new Seen('admin');
		const readers: { seen: Seen; school?: string }[] = [
			{ seen: new Seen('viewer') },
			...contacts.map((c, i) => ({ seen: new Seen(`contact of ${schools[i]!.name}`), school: schools[i]!.id }))
		];
		try {
			for (const period of periods) {
				await readDistrict(admin, exact, period);
				for (const s of schools) await readSchool(admin, exact, period, s.id);
				await readDistrict(viewer, readers[0]!.seen, period);
				for (const s of schools) await readSchool(viewer, readers[0]!.seen, period, s.id);
				for (const [i, contact] of contacts.entries()) await readSchool(contact, readers[i + 1]!.seen, period, schools[i]!.id);
			}
		} finally {
			stopKeeping();
		}

		const truth = (f: Figure) => exact.figures.get(key(f)) ?? 0;
		const recoveries: string[] = [];
		let cases = 0;
		let pairs = 0;
		const contains = (a: Pick<Period, 'from' | 'to'>, b: Pick<Period, 'from' | 'to'>) =>
			a.from <= b.from && b.to <= a.to && (a.from !== b.from || a.to !== b.to);

		for (const { seen, school } of readers) {
			const shown = (f: Figure) => seen.figures.get(key(f));
			// A contact's own school's figures are theirs to know.
			const own = (scope: string) => school !== undefined && scope.includes(`school ${school}`);
			const recover = (how: string, value: number) => {
				if (small(value)) recoveries.push(`${seen.name}: ${how} = ${value}`);
			};
			// The cases: each pair of nested periods, on each page read for both.
			for (const periodsRead of seen.reads.values()) {
				const list = [...periodsRead].map((p) => ({ from: p.split('|')[0]!, to: p.split('|')[1]! }));
				for (const a of list) for (const b of list) if (contains(a, b)) cases++;
			}
			const byFigure = new Map<string, { from: string; to: string; value: number }[]>();
			for (const [k, value] of seen.figures) {
				const f = parse(k);
				const group = `${f.measure}|${f.scope}`;
				(byFigure.get(group) ?? byFigure.set(group, []).get(group)!).push({ from: f.from, to: f.to, value });
			}
			// (a) A period less a period inside it, and a year less the quarters shown inside it.
			for (const [group, list] of byFigure) {
				const [measure, scope] = group.split('|') as [string, string];
				if (own(scope)) continue;
				for (const a of list) {
					const inside = list.filter((b) => contains(a, b));
					for (const b of inside) {
						pairs++;
						recover(`${group} ${a.from}..${a.to} less ${b.from}..${b.to}`, a.value - b.value);
					}
					const shownQuarters = inside.filter((b) => quarterOfDate(b.from).from === b.from && quarterOfDate(b.from).to === b.to);
					if (!additive.has(measure)) continue;
					for (let mask = 1; mask < 1 << shownQuarters.length; mask++) {
						const set = shownQuarters.filter((_, i) => mask & (1 << i));
						if (set.length < 2) continue;
						recover(`${group} ${a.from}..${a.to} less ${set.length} quarters`, a.value - set.reduce((x, q) => x + q.value, 0));
					}
				}
			}
			// (a) The district less a programme or a school, a school less one of its programmes; for a
			// contact, the district less their own school, in one period or across two nested ones.
			const scopePairs: [string, string][] = [
				...programmes.map((p): [string, string] => ['total', `programme ${p.id}`]),
				...schools.map((s): [string, string] => ['total', `school ${s.id}`]),
				...schools.flatMap((s) => programmes.map((p): [string, string] => [`school ${s.id}`, `programme ${p.id} school ${s.id}`])),
				...schools.flatMap((s) => programmes.map((p): [string, string] => [`programme ${p.id}`, `programme ${p.id} school ${s.id}`]))
			];
			const periodList = periods.map((p) => ({ from: p.from, to: p.to }));
			for (const measure of peopleCounts) {
				for (const [whole, part] of scopePairs) {
					if (own(whole)) continue;
					for (const p of periodList) {
						const w = shown({ measure, ...p, scope: whole });
						const q = shown({ measure, ...p, scope: part });
						if (w === undefined || q === undefined) continue;
						recover(`${measure} ${p.from}..${p.to} ${whole} less ${part}`, w - q);
						for (const inner of periodList) {
							if (!contains(p, inner)) continue;
							const wi = shown({ measure, ...inner, scope: whole });
							const qi = shown({ measure, ...inner, scope: part });
							if (wi === undefined || qi === undefined) continue;
							recover(`${measure} (${whole} less ${part}) ${p.from}..${p.to} less ${inner.from}..${inner.to}`, w - q - (wi - qi));
						}
					}
				}
			}
			// (b) The exact check on the tables the figures make together: rows by quarter, with the
			// year's figures and the district's as totals (a contact's: the district less their school).
			const tableOf = (
				rowScopes: string[],
				totalScope: string,
				measure: string,
				year: number,
				value: (f: Figure) => number,
				isShown: (f: Figure) => boolean
			) => {
				const qs = ([1, 2, 3, 4] as const).map((q) => financialQuarter(year, q));
				const fy = financialYear(year);
				const at = (scope: string, p: Period) => ({ measure, from: p.from, to: p.to, scope });
				const rows = rowScopes.map((s) => qs.map((q) => value(at(s, q))));
				const rowTotals = rowScopes.map((s) => value(at(s, fy)));
				const columnTotals = qs.map((q) => value(at(totalScope, q)));
				const grandTotal = value(at(totalScope, fy));
				const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
				const table: CountTable = { rows };
				if (rows.every((r, i) => sum(r) === rowTotals[i])) table.rowTotals = rowTotals;
				if (qs.every((_, j) => sum(rows.map((r) => r[j]!)) === columnTotals[j])) table.columnTotals = columnTotals;
				if (sum(rows.flat()) === grandTotal) table.grandTotal = grandTotal;
				const cell = (f: Figure) => ({ value: value(f), hidden: !isShown(f), reason: null });
				const result = {
					cells: rowScopes.map((s) => qs.map((q) => cell(at(s, q)))),
					rowTotals: rowScopes.map((s) => cell(at(s, fy))),
					columnTotals: qs.map((q) => cell(at(totalScope, q))),
					grandTotal: cell(at(totalScope, fy)),
					threshold: THRESHOLD
				};
				for (const e of exposedEntries(table, result)) {
					const v =
						e.row === 'total'
							? e.column === 'total'
								? grandTotal
								: columnTotals[e.column]!
							: e.column === 'total'
								? rowTotals[e.row]!
								: rows[e.row]![e.column]!;
					recover(`${measure} ${year} by quarter, ${totalScope}: exposed ${e.row},${e.column}`, v);
				}
			};
			const seenAt = (f: Figure) => shown(f) !== undefined;
			for (const measure of peopleCounts) {
				for (const year of years) {
					if (!school) {
						tableOf(
							programmes.map((p) => `programme ${p.id}`),
							'total',
							measure,
							year,
							truth,
							seenAt
						);
						tableOf(
							schools.map((s) => `school ${s.id}`),
							'total',
							measure,
							year,
							truth,
							seenAt
						);
						for (const s of schools)
							tableOf(
								programmes.map((p) => `programme ${p.id} school ${s.id}`),
								`school ${s.id}`,
								measure,
								year,
								truth,
								seenAt
							);
					} else {
						// The district less the school, which the contact knows exactly.
						const ownFigure = (f: Figure) => truth({ ...f, scope: f.scope === 'total' ? `school ${school}` : `${f.scope} school ${school}` });
						tableOf(
							programmes.map((p) => `programme ${p.id}`),
							'total',
							measure,
							year,
							(f) => truth(f) - ownFigure(f),
							seenAt
						);
					}
				}
			}
		}

		const reads = readers.reduce((a, r) => a + [...r.seen.reads.values()].reduce((x, s) => x + s.size, 0), 0);
		console.log(
			`Differencing attack (seed ${SEED}): ${readers.length} readers, ${periods.length} fixed periods, ${reads} page and download reads, ` +
				`${cases} (reader, period pair, page) cases, ${pairs} nested figure pairs; ${recoveries.length} counts from 1 to 4 recovered`
		);
		if (recoveries.length > 0) console.log(recoveries.slice(0, 20).join('\n'));
		// The attack must have something to find: small counts were shown hidden.
		expect([...exact.figures.values()].some(small)).toBe(true);
		expect(recoveries).toEqual([]);
	}, 1_200_000);

	it('gives readers of suppressed figures fixed periods only, and refuses a range of dates beside the period field', async () => {
		const viewer = await makeActor(t.db, { role: 'viewer' });
		const admin = await makeActor(t.db, { role: 'admin' });
		const range = new URLSearchParams('period=dates&from=2023-09-01&to=2024-01-23');
		const overview = await overviewPage(t.db, viewer, range);
		if (!overview.ok) throw new Error('refused');
		expect(overview.page.filter.errors).toEqual({ period: expect.stringContaining('academic year, a financial year or a quarter') });
		expect(overview.page.filter.values).toMatchObject({ period: 'dates', from: '2023-09-01', to: '2024-01-23' });
		expect(overview.page.overview).toBeNull();
		expect(overview.page.filter.periodKinds).toEqual(['academic', 'financial', 'quarter']);
		expect((await trendPage(t.db, viewer, range)).quarters).toBeNull();
		expect(await bySchoolDownload(t.db, admin, range)).toMatchObject({ ok: false, code: 'invalid', errors: { period: expect.any(String) } });
		expect(await pccReturnDownload(t.db, admin, range, 'xlsx')).toMatchObject({ ok: false, code: 'invalid', errors: { period: expect.any(String) } });
		const school = await makeSchool(t.db);
		const contact = await makeActor(t.db, { role: 'school', schoolId: school.id });
		expect((await schoolPage(t.db, contact, school.id, range)).filter.errors).toMatchObject({ period: expect.any(String) });
		// Admins see exact figures, so they may choose any range.
		const exactRange = await overviewPage(t.db, admin, range);
		expect(exactRange.ok && exactRange.page.overview).toBeTruthy();
	});
});
