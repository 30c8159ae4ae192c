import type { Db } from '../db';
import { listProgrammes } from '../programmes/programmes.queries';
import { listSchools } from '../schools/schools.queries';
import { suppressLinked, type Cell, type Containment, type LinkedTable } from './disclosure';
import { decidedFrom, decidedOnce, type DecisionInputs } from './decided';
import { academicYear, academicYearOfDate, financialQuarter, financialYear, financialYearOfDate, type Period } from './periods';
import { columns, countOf, type Counted } from './report-table';
import { emptyFigures, listRollupSlices, type Figures, type RollupPeriod, type RollupSlice } from './reports.queries';

// The figures readers with suppressed figures see, decided once for everything they can ask for,
// so that no page, download or pair of periods shows a count that another one hides.
//
// Such readers choose fixed periods only. A financial year and its four quarters are one
// family: for each count of people, the programmes by quarter and the schools by quarter are
// two tables whose totals are the district's quarters and year, suppressed as one system
// (disclosure.ts `suppressLinked`). Every page is a slice of it: the overview of a quarter is a
// column of the programmes' table, the trend is its totals row, a programme's page one of its
// rows, the by-school page a column of the schools' table. An academic year holds three whole
// quarters (October to June) of two financial years: its figures are suppressed after theirs,
// and hidden where the year less any of those quarters shown would be a small count.
//
// A school contact sees the district beside their own school's exact figures: the district
// less the school is suppressed the same way (hidden counts known only to be at least 0), on
// top of what everyone else sees hidden. A report viewer reading one school's page sees its
// programmes suppressed with the school's totals as the by-school table decided them.
//
// Each decision is made once per change of the figures and shared by every request until the
// next (decided.ts); the district's are made again as soon as a change is heard, and within
// them a financial year only when its own figures changed (`districtYear`).

/** The counts of people: each is suppressed; rates and hours are derived from them. */
export const peopleCounts = columns.filter((c) => c.people && c.format === 'count').map((c) => c.measure as Counted);

/** A figure's name: the count, the period and what it covers ('total', 'programme <id>', 'school <id>', ...). */
export function figureName(measure: string, period: Pick<Period, 'from' | 'to'>, scope: string): string {
	// Joined, not a template: V8 makes a template of this length a chain of parts, copied into one
	// string the first time it is looked up; a decision makes and looks up tens of thousands of
	// names (an academic year's county decision took about 8% less time this way).
	return [measure, period.from, period.to, scope].join(' ');
}

/** Decided cells of one period by scope, then by measure, for each decision kept (`byScope`). */
const indexes = new WeakMap<ReadonlyMap<string, Cell>, Map<string, Map<string, Map<string, Cell>>>>();

/**
 * A period's cells of a decision by scope, then by measure: the same cells as looking each up by
 * `figureName`, without making and hashing a name per cell (a county's by-school page has 8,400).
 * Made once per decision and period: a decision is kept, never changed, until the figures
 * change, and its index goes with it.
 */
export function byScope(cells: ReadonlyMap<string, Cell>, period: Pick<Period, 'from' | 'to'>): Map<string, Map<string, Cell>> {
	let periods = indexes.get(cells);
	if (!periods) indexes.set(cells, (periods = new Map()));
	const key = `${period.from} ${period.to}`;
	let index = periods.get(key);
	if (index) return index;
	index = new Map();
	const prefix = ` ${key} `;
	for (const [name, cell] of cells) {
		// measure, then the period, then the scope (which may hold spaces): see figureName.
		const at = name.indexOf(' ');
		if (!name.startsWith(prefix, at)) continue;
		const scope = name.slice(at + prefix.length);
		let measures = index.get(scope);
		if (!measures) index.set(scope, (measures = new Map()));
		measures.set(name.slice(0, at), cell);
	}
	periods.set(key, index);
	return index;
}

/** One way of cutting a total into rows, with the rows' figures for a period. */
interface Dimension {
	ids: readonly string[];
	scope: (id: string) => string;
	read: (period: Period) => Map<string, Figures>;
}

/** The figures of one output: its rows' dimensions and its total, every period's read beforehand. */
interface Source {
	dimensions: Dimension[];
	/** Figures decided elsewhere that hold each row of the first dimension (a district programme holds one school's part of it). */
	outer?: { scope: (id: string) => string; read: (period: Period) => Map<string, Figures> };
	totalScope: string;
	total: (period: Period) => Figures;
}

interface FamilyOptions {
	threshold: number;
	/** Figures decided by an output read beside this one: true hidden, false shown. */
	settled?: Pick<ReadonlyMap<string, boolean>, 'get'>;
	floor?: 0 | 1;
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
const count = (figures: Figures | undefined, measure: Counted) => (figures ? countOf(figures, measure) : 0);

/** A financial year and its quarters: each dimension a table of rows by quarter, with the year and the district as totals. */
function yearFamily(source: Source, year: number, options: FamilyOptions): ReadonlyMap<string, Cell> {
	const periods = yearPeriods(year);
	const totals = periods.map(source.total);
	const read = source.dimensions.map((d) => periods.map(d.read));
	const outer = source.outer ? periods.map(source.outer.read) : undefined;
	const cells = new Map<string, Cell>();
	for (const measure of peopleCounts) {
		const totalNames = periods.map((p) => figureName(measure, p, source.totalScope));
		const totalValues = totals.map((f) => count(f, measure));
		const tables: LinkedTable[] = [];
		const counts = new Map<string, number>(totalNames.map((name, k) => [name, totalValues[k]!]));
		const containments: Containment[] = totalNames.slice(1).map((quarter) => ({ whole: totalNames[0]!, parts: [quarter] }));
		source.dimensions.forEach((dimension, k) => {
			if (dimension.ids.length === 0) return;
			const value = (p: number, id: string) => count(read[k]![p]!.get(id), measure);
			// Each row's names in the year and its quarters, made once: a county has 600 schools.
			const names = dimension.ids.map((id) => {
				const scope = dimension.scope(id);
				return periods.map((p) => figureName(measure, p, scope));
			});
			const byId = new Map(dimension.ids.map((id, i) => [id, names[i]!]));
			const name = (p: number, id: string) => byId.get(id)![p]!;
			const rows = dimension.ids.map((id) => [1, 2, 3, 4].map((p) => value(p, id)));
			const rowTotals = dimension.ids.map((id) => value(0, id));
			const rowsAdd = rows.every((row, i) => sum(row) === rowTotals[i]);
			const columnsAdd = [0, 1, 2, 3].every((q) => sum(rows.map((row) => row[q]!)) === totalValues[q + 1]);
			const grandAdds = sum(rows.flat()) === totalValues[0];
			tables.push({
				table: {
					rows,
					...(rowsAdd ? { rowTotals } : {}),
					...(columnsAdd ? { columnTotals: totalValues.slice(1) } : {}),
					...(grandAdds ? { grandTotal: totalValues[0] } : {})
				},
				names: {
					cells: dimension.ids.map((id) => [1, 2, 3, 4].map((p) => name(p, id))),
					...(rowsAdd ? { rowTotals: dimension.ids.map((id) => name(0, id)) } : {}),
					...(columnsAdd ? { columnTotals: totalNames.slice(1) } : {}),
					...(grandAdds ? { grandTotal: totalNames[0] } : {})
				}
			});
			// Totals that are not sums (different people across quarters or programmes) still hold
			// their parts: the difference is a count of people too.
			dimension.ids.forEach((id, i) => {
				const outerNames = outer && k === 0 ? periods.map((p) => figureName(measure, p, source.outer!.scope(id))) : undefined;
				if (outer && outerNames) {
					periods.forEach((_, pi) => {
						counts.set(outerNames[pi]!, count(outer[pi]!.get(id), measure));
						containments.push({ whole: outerNames[pi]!, parts: [name(pi, id)] });
					});
				}
				counts.set(name(0, id), rowTotals[i]!);
				containments.push({ whole: totalNames[0]!, parts: [name(0, id)] });
				for (const p of [1, 2, 3, 4]) {
					if (!rowsAdd) containments.push({ whole: name(0, id), parts: [name(p, id)] });
					if (!columnsAdd) containments.push({ whole: totalNames[p]!, parts: [name(p, id)] });
					// The rest of the district (less this row) in the year, less the same in a quarter.
					containments.push({ whole: totalNames[0]!, plus: [name(p, id)], parts: [name(0, id), totalNames[p]!] });
					if (outerNames) containments.push({ whole: outerNames[0]!, plus: [name(p, id)], parts: [name(0, id), outerNames[p]!] });
				}
			});
		});
		for (const [name, cell] of suppressLinked({ tables, counts, containments, settled: options.settled }, options)) cells.set(name, cell);
	}
	return cells;
}

/**
 * Everything `yearFamily` decides a family without `outer` or `settled` from (the district's):
 * its rows' scopes in order, and each count of the year and its quarters.
 */
function yearInputs(source: Source, year: number): DecisionInputs {
	const periods = yearPeriods(year);
	const totals = periods.map(source.total);
	const read = source.dimensions.map((d) => periods.map(d.read));
	const counts: number[] = [];
	for (const measure of peopleCounts) {
		periods.forEach((_, p) => {
			counts.push(count(totals[p], measure));
			source.dimensions.forEach((d, k) => {
				for (const id of d.ids) counts.push(count(read[k]![p]!.get(id), measure));
			});
		});
	}
	return { names: [source.totalScope, ...source.dimensions.flatMap((d) => d.ids.map(d.scope))].join('\n'), counts };
}

/**
 * The district's financial year, decided again only when something it is decided from changed
 * since it was last decided (decided.ts `decidedFrom`): a change touches one year, and an
 * academic year reads two.
 */
function districtYear(source: Source, year: number, options: FamilyOptions): ReadonlyMap<string, Cell> {
	return decidedFrom(`district ${options.threshold} ${year}`, yearInputs(source, year), () => yearFamily(source, year, options));
}

/** Every non-empty set of the parts. */
function subsets<T>(parts: readonly T[]): T[][] {
	const all: T[][] = [];
	for (let mask = 1; mask < 1 << parts.length; mask++) all.push(parts.filter((_, i) => mask & (1 << i)));
	return all;
}

/**
 * An academic year, after the two financial years it overlaps (`inside`, their cells): a list per
 * dimension with the district as total, and hidden where the year less any set of its whole
 * quarters shown would be small.
 */
function academicFamily(source: Source, start: number, inside: Pick<ReadonlyMap<string, Cell>, 'get'>, options: FamilyOptions): Map<string, Cell> {
	const period = academicYear(start);
	// October to December, January to March and April to June lie wholly inside it.
	const quarters = [financialQuarter(start, 3), financialQuarter(start, 4), financialQuarter(start + 1, 1)];
	const total = source.total(period);
	const read = source.dimensions.map((d) => d.read(period));
	const outer = source.outer ? source.outer.read(period) : undefined;
	// Each row's scope made once: the names below are made from them once a measure, and each is
	// then looked up by the same string (whose hash V8 keeps) rather than a new one each time.
	const scopes = source.dimensions.map((d) => d.ids.map(d.scope));
	const outerScopes = source.outer ? source.dimensions[0]!.ids.map(source.outer.scope) : [];
	// The district less a row (or the figure holding it) in the year, less the same in a quarter inside it: the same scopes for every measure.
	const pairs: [string, string][] = scopes.flatMap((rowScopes) => rowScopes.map((scope): [string, string] => [source.totalScope, scope]));
	if (source.outer) pairs.push(...outerScopes.map((outerScope, i): [string, string] => [outerScope, scopes[0]![i]!]));
	// The financial years' decisions, over any the caller settled: looked up, not copied (a county's two years are 66,000 figures).
	const settled = { get: (name: string) => inside.get(name)?.hidden ?? options.settled?.get(name) };
	const cells = new Map<string, Cell>();
	for (const measure of peopleCounts) {
		// A scope's names: the year's, then each quarter's inside it.
		const named = new Map<string, string[]>();
		const namesOf = (scope: string): string[] => {
			let names = named.get(scope);
			if (!names) named.set(scope, (names = [period, ...quarters].map((p) => figureName(measure, p, scope))));
			return names;
		};
		const totalName = namesOf(source.totalScope)[0]!;
		const tables: LinkedTable[] = [];
		const counts = new Map<string, number>();
		const containments: Containment[] = [];
		const rows: [string, number][] = [[source.totalScope, count(total, measure)]];
		source.dimensions.forEach((dimension, k) => {
			if (dimension.ids.length === 0) return;
			const values = dimension.ids.map((id) => count(read[k]!.get(id), measure));
			const names = scopes[k]!.map((scope) => namesOf(scope)[0]!);
			const adds = sum(values) === count(total, measure);
			tables.push({
				table: { rows: values.map((v) => [v]), ...(adds ? { columnTotals: [count(total, measure)] } : {}) },
				names: { cells: names.map((n) => [n]), ...(adds ? { columnTotals: [totalName] } : {}) }
			});
			dimension.ids.forEach((id, i) => {
				if (outer && k === 0) {
					const whole = namesOf(outerScopes[i]!)[0]!;
					counts.set(whole, count(outer.get(id), measure));
					containments.push({ whole, parts: [names[i]!] });
				}
				rows.push([scopes[k]![i]!, values[i]!]);
				if (!adds) containments.push({ whole: totalName, parts: [names[i]!] });
			});
		});
		for (const [scope, value] of rows) {
			const [whole, ...parts] = namesOf(scope) as [string, ...string[]];
			counts.set(whole, value);
			for (const part of parts) counts.set(part, inside.get(part)?.value ?? 0);
			for (const set of subsets(parts)) containments.push({ whole, parts: set });
		}
		for (const [outerScope, rowScope] of pairs) {
			const [outerYear, ...outerQuarters] = namesOf(outerScope) as [string, ...string[]];
			const [rowYear, ...rowQuarters] = namesOf(rowScope) as [string, ...string[]];
			quarters.forEach((_, q) => {
				for (const name of [outerQuarters[q]!, rowQuarters[q]!]) if (!counts.has(name)) counts.set(name, inside.get(name)?.value ?? 0);
				containments.push({ whole: outerYear, plus: [rowQuarters[q]!], parts: [rowYear, outerQuarters[q]!] });
			});
		}
		for (const [name, cell] of suppressLinked({ tables, counts, containments, settled }, options)) if (name.includes(` ${period.from} `)) cells.set(name, cell);
	}
	return cells;
}

const DATES_REFUSED = 'Suppressed figures are for fixed periods only: a range of dates is shown in full or not at all';

/** A financial year and its four quarters. */
const yearPeriods = (year: number): Period[] => [financialYear(year), ...([1, 2, 3, 4] as const).map((q) => financialQuarter(year, q))];

/** Every period the family holding a fixed period is decided from: a financial year with its quarters, or an academic year with the two financial years it overlaps. */
function familyPeriods(period: Period): Period[] {
	switch (period.kind) {
		case 'financial':
		case 'quarter':
			return yearPeriods(financialYearOfDate(period.from));
		case 'academic': {
			const start = academicYearOfDate(period.from);
			return [...yearPeriods(start), ...yearPeriods(start + 1), academicYear(start)];
		}
		case 'dates':
			throw new RangeError(DATES_REFUSED);
	}
}

/**
 * The cells of the family holding a fixed period: a financial year with its quarters, or an
 * academic year. `decideYear` decides a financial year: `yearFamily`, or for the district
 * `districtYear`, which decides one again only when its figures changed.
 */
function familyCells(source: Source, period: Period, options: FamilyOptions, decideYear: typeof yearFamily = yearFamily): ReadonlyMap<string, Cell> {
	switch (period.kind) {
		case 'financial':
		case 'quarter':
			return decideYear(source, financialYearOfDate(period.from), options);
		case 'academic': {
			const start = academicYearOfDate(period.from);
			const [first, second] = [decideYear(source, start, options), decideYear(source, start + 1, options)];
			// Looked up in both, not merged: a year's decision may be shared (districtYear).
			return academicFamily(source, start, { get: (name) => first.get(name) ?? second.get(name) }, options);
		}
		case 'dates':
			throw new RangeError(DATES_REFUSED);
	}
}

/**
 * The rollup's rows for every period of the family, read in one query (with the programmes and
 * schools that name the rows), and looked up by period as the family is decided.
 */
async function readFamily(db: Db, period: Period, schoolId?: string, named?: DistrictRows) {
	const periods = familyPeriods(period);
	const asked: RollupPeriod[] = periods.map((p) => ({ kind: p.kind as RollupPeriod['kind'], from: p.from }));
	const [programmes, schools, slices] = await Promise.all([
		named?.programmes ?? listProgrammes(db),
		named?.schools ?? listSchools(db),
		listRollupSlices(db, asked, schoolId)
	]);
	const byPeriod = new Map(slices.map((s) => [`${s.period.kind} ${s.period.from}`, s]));
	const slice = (p: Period): RollupSlice => {
		const found = byPeriod.get(`${p.kind} ${p.from}`);
		if (!found) throw new RangeError(`${p.kind} ${p.from} was not read for this family`);
		return found;
	};
	return { programmes: programmes.map((p) => p.id), schools: schools.map((s) => s.id), slice };
}

/** Every programme and every school of the district, as `listProgrammes` and `listSchools` give them (in their order: it settles ties). */
export interface DistrictRows {
	programmes: readonly { id: string }[];
	schools: readonly { id: string }[];
}

/**
 * The district's figures for a fixed period as every reader with suppressed figures sees them,
 * by name: `figureName(measure, period, scope)` with scope 'total', 'programme <id>' or 'school <id>'.
 * `named`: the district's programmes and schools when the caller has read them already.
 */
export async function districtCells(db: Db, period: Period, threshold: number, named?: DistrictRows): Promise<ReadonlyMap<string, Cell>> {
	const key = `linked district ${threshold} ${period.kind} ${period.from}`;
	return decidedOnce(
		db,
		key,
		async () => {
			const { programmes, schools, slice } = await readFamily(db, period, undefined, named);
			const source: Source = {
				dimensions: [
					{ ids: programmes, scope: (id) => `programme ${id}`, read: (p) => slice(p).programmes },
					{ ids: schools, scope: (id) => `school ${id}`, read: (p) => slice(p).schools }
				],
				totalScope: 'total',
				total: (p) => slice(p).total
			};
			return familyCells(source, period, { threshold }, districtYear);
		},
		(db) => districtCells(db, period, threshold)
	);
}

/** The district's decisions for every period a family of `period` reads: an academic year reads two financial years too. */
async function districtSettled(db: Db, period: Period, threshold: number, onlyHidden = false): Promise<Map<string, boolean>> {
	const periods = [period];
	if (period.kind === 'academic') {
		const start = academicYearOfDate(period.from);
		periods.push(financialYear(start), financialYear(start + 1));
	}
	const settled = new Map<string, boolean>();
	for (const p of periods) for (const [name, cell] of await districtCells(db, p, threshold)) if (!onlyHidden || cell.hidden) settled.set(name, cell.hidden);
	return settled;
}

/**
 * One school's figures by programme, as a report viewer sees them: scope 'programme <id> school
 * <id>', with the school's totals ('school <id>') as the district's decided them.
 */
export async function schoolCells(db: Db, period: Period, schoolId: string, threshold: number): Promise<ReadonlyMap<string, Cell>> {
	return decidedOnce(db, `linked school ${schoolId} ${threshold} ${period.kind} ${period.from}`, async () => {
		const [{ programmes, slice }, settled] = await Promise.all([readFamily(db, period, schoolId), districtSettled(db, period, threshold)]);
		const source: Source = {
			dimensions: [{ ids: programmes, scope: (id) => `programme ${id} school ${schoolId}`, read: (p) => slice(p).schoolProgrammes }],
			totalScope: `school ${schoolId}`,
			total: (p) => slice(p).schools.get(schoolId) ?? emptyFigures('total'),
			// The district's programme less this school's part of it is a count of people too.
			outer: { scope: (id) => `programme ${id}`, read: (p) => slice(p).programmes }
		};
		return familyCells(source, period, { threshold, settled });
	});
}

function minus(a: Figures, b: Figures | undefined): Figures {
	if (!b) return a;
	const out = { ...a, awards: { ...a.awards } };
	for (const measure of peopleCounts) {
		if (measure === 'youngPeopleReached') {
			out.namedYoungPeople = a.namedYoungPeople - b.namedYoungPeople;
			out.headcountYoungPeople = a.headcountYoungPeople - b.headcountYoungPeople;
		} else if (measure === 'discovery' || measure === 'explorer' || measure === 'conserver') out.awards[measure] = a.awards[measure] - b.awards[measure];
		else out[measure] = a[measure] - b[measure];
	}
	return out;
}

/**
 * Which of the district's figures a school contact sees hidden: those everyone sees hidden, and
 * those where the district less their own school (whose figures they know exactly) would show a
 * small count, or let one be worked out. Names as `districtCells`; the cells' values are the
 * district less the school.
 */
export async function districtBesideSchool(db: Db, period: Period, schoolId: string, threshold: number): Promise<ReadonlyMap<string, Cell>> {
	return decidedOnce(db, `linked beside ${schoolId} ${threshold} ${period.kind} ${period.from}`, async () => {
		const [{ programmes, slice }, settled] = await Promise.all([readFamily(db, period, schoolId), districtSettled(db, period, threshold, true)]);
		const source: Source = {
			dimensions: [
				{
					ids: programmes,
					scope: (id) => `programme ${id}`,
					read: (p) => new Map([...slice(p).programmes].map(([id, f]) => [id, minus(f, slice(p).schoolProgrammes.get(id))]))
				}
			],
			totalScope: 'total',
			total: (p) => minus(slice(p).total, slice(p).schools.get(schoolId))
		};
		// The rest of the district can be 0 where the district is hidden: a reader knows only that it is not negative.
		return familyCells(source, period, { threshold, settled, floor: 0 });
	});
}
