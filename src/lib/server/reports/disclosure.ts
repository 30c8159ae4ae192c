import { isCountBelowThousand } from '../../format';

/**
 * Disclosure control for published counts: small counts are shown as `c`, and further cells are
 * hidden so that no hidden count can be worked out from the totals shown beside it. Pure
 * functions: no database, and the only outside input is the threshold setting.
 *
 * API
 *   suppressionThreshold(env = process.env): number
 *       REPORT_SUPPRESSION_THRESHOLD, a whole number from 2 to 20, default 5; counts from 1 to
 *       threshold - 1 are hidden. Throws on anything else, so a mistyped setting is noticed.
 *   suppressTable(table: CountTable, options?: TableOptions): SuppressedTable
 *       table = { rows: number[][], rowTotals?: number[], columnTotals?: number[], grandTotal?: number }.
 *       options = { threshold?, hidden?(position), keep?(position), floor?: 0 | 1 }: entries another
 *       table of the same output hid (hidden here too, and protected), entries it shows (never
 *       hidden here; NothingLeftToHide is thrown if only they could protect a count), and what a
 *       reader knows of a hidden count (at least 1, the default, or only at least 0).
 *       Pass every total that will be shown, and only those: a total not passed is taken as not
 *       shown. Totals must be the sums of their counts (RangeError otherwise), so they cannot be
 *       unique people across overlapping groups. Returns { cells: Cell[][], rowTotals?: Cell[],
 *       columnTotals?: Cell[], grandTotal?: Cell, threshold }, with the totals that were passed.
 *       The threshold defaults to suppressionThreshold().
 *   withTotals(rows: number[][]): CountTable        the rows with every total worked out
 *   suppressList(counts: number[], options?: { total?: number; threshold?: number }): SuppressedList
 *       one column of counts, with its total when `total` is given: { cells: Cell[], total?: Cell, threshold }.
 *   suppressLinked(system: LinkedSystem, options?: { threshold?, floor? }): Map<string, Cell>
 *       several tables of one output as one system: system = { tables: { table, names }[],
 *       counts?: Map<name, number>, containments?: { whole, parts, plus? }[], settled?: { get(name): hidden? } }
 *       (settled: a Map will do; it is asked only of the system's own names).
 *       Entries with the same name are one figure (the district's quarter in the trend and on the
 *       quarter's overview). Returns each named figure's cell. See "One output" below.
 *   suppressCount(value: number, options?: { threshold?: number }): Cell
 *       a count shown on its own, with no total beside it.
 *   derive(value: number, dependsOn: readonly Cell[]): Cell
 *       a percentage, rate or mean: hidden (reason 'derived') when any count it is built on is.
 *   display(cell: Cell, format?: (value: number) => string): string      'c' when hidden
 *   exportValue(cell: Cell): number | 'c'         for CSV and XLSX, where numbers stay numbers
 *   exposedEntries(table: CountTable, result: SuppressedTable): TablePosition[]
 *       the hidden entries a reader could work out exactly, by the check below: always empty for
 *       suppressTable's own result; for tests, or for a pattern changed by hand.
 *   Cell = { value: number; hidden: boolean; reason: 'primary' | 'secondary' | 'derived' | null }
 *       `value` is always the true figure: render a Cell only through `display` or `exportValue`.
 *   TablePosition = { row: number | 'total'; column: number | 'total' }
 *
 * Rules
 *   Primary: any count or total shown from 1 to threshold - 1 is hidden.
 *   Zeros are always shown and never hidden to protect another cell: an empty cell tells no one
 *   about a person, and hiding zeros would blank out most small tables. A reader therefore knows
 *   every hidden count is at least 1, and the check allows for that. A total of 0 is shown too
 *   (every count under it is 0); a small total is hidden like any count.
 *   Secondary: a hidden entry is protected when the visible counts, the totals shown, and the
 *   knowledge that hidden counts are at least 1 (totals not shown at least 0) still leave it two
 *   or more possible values. First, as statistical offices do, any row or column shown with its
 *   total and holding exactly one hidden entry gets a second: its smallest non-zero visible cell,
 *   preferring one whose other row or column already has a hidden entry (so hidden cells form
 *   rectangles rather than chains), and its total only when no cell qualifies. That repeats until
 *   stable. Then every hidden entry gets the exact check below; one still exposed gets the
 *   smallest non-zero visible entry that frees it (cells before totals, totals before the grand
 *   total), and the whole repeats. Hiding more never exposes what was protected, and hiding
 *   every non-zero entry protects them all, so the loop ends.
 *   A line shown with its total also tells the sum of its hidden counts: a sum from 1 to
 *   threshold - 1 is a small count in itself (a row less its visible cells), so such a line gets
 *   another hidden entry the same way.
 *   Counting hidden entries per row and column is not enough: two blocks of hidden cells joined
 *   by one hidden cell give every row and column two hidden entries, yet fix the joining cell;
 *   and a row [c, c, 30 | 32] fixes both hidden cells at 1 once a reader knows they are not 0.
 *
 * Why the check is exact
 *   A table with its totals is a flow: row i sends each cell (i, j) to column j, column j sends
 *   its column total to the totals row, that sends the grand total to the totals column, which
 *   sends each row total back to row i; every row and column balances. Hidden entries and totals
 *   not shown are the unknowns, and the tables a reader cannot rule out are exactly the flows
 *   that agree with everything visible and keep each unknown at or above its floor. Another such
 *   table differs in entry x if and only if x lies on a cycle of the residual graph (an unknown
 *   can always go up, and down while above its floor); moving one unit round that cycle gives a
 *   second whole-number table. With the floor at 1 this is stronger than asking for two
 *   non-negative tables.
 *
 * One output
 *   A figure that appears in several tables of one output (a page, a file, or everything one
 *   kind of reader can ask for) is one figure: hidden in one table, it is hidden in all, or the
 *   other table would give it away. `suppressLinked` names every entry, starts from the primary
 *   cells and anything `settled` by an output decided before, and repeats until nothing changes:
 *   every containment whose whole less its parts (plus `plus`) is a small count with all of them
 *   shown hides its whole (else what is added, else its largest part); every table is suppressed
 *   with the names hidden anywhere forced hidden and those settled as shown kept; whatever a
 *   table hides is hidden everywhere. Hiding only adds, so it ends, and at the end every table
 *   passes the exact check above with the one pattern that all of them share. Tables that share
 *   only their totals (programmes by quarter and schools by quarter, both with the district's
 *   quarters and year) are checked table by table; tests/server/reports/differencing-attack.test.ts
 *   attacks the whole output with every difference a reader can take.
 *   Totals that are not sums (different young people across programmes or quarters) are passed
 *   as `counts` with a containment for each part: the difference is a count of people too.
 *   The report pages build their systems in linked-figures.ts.
 */

export const SUPPRESSED = 'c';
export const DEFAULT_SUPPRESSION_THRESHOLD = 5;
const MIN_THRESHOLD = 2;
const MAX_THRESHOLD = 20;

export type SuppressionReason = 'primary' | 'secondary' | 'derived';

export interface Cell {
	/** The true figure: render it only through `display` or `exportValue`. */
	value: number;
	hidden: boolean;
	reason: SuppressionReason | null;
}

export interface CountTable {
	rows: number[][];
	rowTotals?: number[];
	columnTotals?: number[];
	grandTotal?: number;
}

export interface SuppressedTable {
	cells: Cell[][];
	rowTotals?: Cell[];
	columnTotals?: Cell[];
	grandTotal?: Cell;
	threshold: number;
}

export interface SuppressedList {
	cells: Cell[];
	total?: Cell;
	threshold: number;
}

export interface SuppressionOptions {
	threshold?: number;
}

/** A place in the table extended by its totals: 'total' is the totals row or column. */
export interface TablePosition {
	row: number | 'total';
	column: number | 'total';
}

function checkThreshold(threshold: number, source: string): number {
	if (!Number.isInteger(threshold) || threshold < MIN_THRESHOLD || threshold > MAX_THRESHOLD) {
		throw new RangeError(`${source} must be a whole number from ${MIN_THRESHOLD} to ${MAX_THRESHOLD}`);
	}
	return threshold;
}

/** The smallest count that may be shown, from REPORT_SUPPRESSION_THRESHOLD. */
export function suppressionThreshold(env: Record<string, string | undefined> = process.env): number {
	const raw = env.REPORT_SUPPRESSION_THRESHOLD?.trim();
	if (!raw) return DEFAULT_SUPPRESSION_THRESHOLD;
	// Number('') and Number('0x5') would pass an integer check; only plain digits are a setting.
	const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
	return checkThreshold(value, 'REPORT_SUPPRESSION_THRESHOLD');
}

const thresholdOf = (options: SuppressionOptions | undefined) =>
	options?.threshold === undefined ? suppressionThreshold() : checkThreshold(options.threshold, 'threshold');

const isSmall = (value: number, threshold: number) => value >= 1 && value < threshold;

// The shown cells of whole counts below a thousand, made once and shared: a county's by-school
// table is 10,000 cells on every request, nearly all of them such counts. Frozen, as every
// table holds the same objects.
const SHOWN_COUNTS: readonly Cell[] = Array.from({ length: 1000 }, (_, value) => Object.freeze({ value, hidden: false, reason: null }));

/** A figure shown as it is, for readers who see figures unsuppressed. */
export function shownCell(value: number): Cell {
	if (isCountBelowThousand(value)) return SHOWN_COUNTS[value]!;
	return { value, hidden: false, reason: null };
}

export function suppressCount(value: number, options?: SuppressionOptions): Cell {
	checkCount(value, 'count');
	const hidden = isSmall(value, thresholdOf(options));
	return { value, hidden, reason: hidden ? 'primary' : null };
}

export function derive(value: number, dependsOn: readonly Cell[]): Cell {
	const hidden = dependsOn.some((cell) => cell.hidden);
	return { value, hidden, reason: hidden ? 'derived' : null };
}

export function display(cell: Cell, format: (value: number) => string = String): string {
	return cell.hidden ? SUPPRESSED : format(cell.value);
}

export function exportValue(cell: Cell): number | typeof SUPPRESSED {
	return cell.hidden ? SUPPRESSED : cell.value;
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

export function withTotals(rows: number[][]): CountTable {
	const width = rows[0]?.length ?? 0;
	const columnTotals = Array.from({ length: width }, (_, j) => sum(rows.map((row) => row[j] ?? 0)));
	return { rows, rowTotals: rows.map(sum), columnTotals, grandTotal: sum(columnTotals) };
}

export function suppressList(counts: number[], options?: SuppressionOptions & { total?: number }): SuppressedList {
	const threshold = thresholdOf(options);
	// With no small count (and so no small total) there is nothing to hide, and nothing to
	// protect: every entry is shown, as the whole check below would find. The district overview's
	// outcomes are such a list on every request, usually all zeros.
	const total = options?.total;
	const plain = (value: number) => Number.isInteger(value) && value >= 0 && !isSmall(value, threshold);
	if (counts.every(plain) && (total === undefined || total === sum(counts))) {
		return { cells: counts.map(shownCell), ...(total === undefined ? {} : { total: shownCell(total) }), threshold };
	}
	const table = suppressTable({ rows: counts.map((count) => [count]), columnTotals: options?.total === undefined ? undefined : [options.total] }, options);
	return {
		cells: table.cells.map((row) => row[0]!),
		...(table.columnTotals ? { total: table.columnTotals[0]! } : {}),
		threshold: table.threshold
	};
}

/** How suppressTable treats entries that another table of the same output has decided. */
export interface TableOptions extends SuppressionOptions {
	/** Entries hidden already (elsewhere in the output): hidden here too, and protected. */
	hidden?: (position: TablePosition) => boolean;
	/** Entries shown elsewhere in the output: never hidden here to protect another. */
	keep?: (position: TablePosition) => boolean;
	/** What a reader knows of a hidden count: at least 1 (zeros are shown; the default) or only at least 0. */
	floor?: 0 | 1;
}

/** Thrown when every entry that could protect an exposed count is kept shown by `keep`. */
export class NothingLeftToHide extends Error {}

export function suppressTable(table: CountTable, options?: TableOptions): SuppressedTable {
	const threshold = thresholdOf(options);
	const height = table.rows.length;
	const width = table.rows[0]?.length ?? 0;
	const position = (r: number, c: number): TablePosition => ({ row: r === height ? 'total' : r, column: c === width ? 'total' : c });
	const kept = new Set<Entry>();
	const extended = extend(
		table,
		(value, shown, r, c) => {
			if (!shown) return null;
			if (isSmall(value, threshold)) return 'primary';
			return options?.hidden?.(position(r, c)) ? 'secondary' : null;
		},
		options?.floor ?? 1
	);
	if (options?.keep) for (const e of extended.entries) if (e.shown && !e.hidden && options.keep(position(e.row, e.column))) kept.add(e);
	const { entries, lines } = extended;
	const free = (e: Entry) => !e.hidden && e.value > 0 && !kept.has(e);
	const hide = (e: Entry) => {
		e.hidden = true;
		e.reason = 'secondary';
	};
	const protectedEntries = new Set<Entry>();
	for (;;) {
		// The usual rule first: it settles most tables cheaply and hides what a reader expects.
		for (let changed = true; changed;) {
			changed = false;
			for (const line of lines) {
				const hiddenHere = line.filter((e) => e.hidden);
				// The line's last entry is its total: with it shown, the hidden counts' sum is known, and
				// a sum from 1 to threshold - 1 is itself a small count (the row less its visible cells).
				const whole = line[line.length - 1]!;
				const hiddenSum = whole.hidden ? 0 : hiddenHere.reduce((a, e) => a + e.value, 0);
				if (hiddenHere.length !== 1 && !isSmall(hiddenSum, threshold)) continue;
				// A cell whose other line already has a hidden entry leaves no new line with a lone one.
				const opensAnother = (e: Entry) => (e.lines.some((l) => l !== line && !l.some((o) => o.hidden)) ? 1 : 0);
				const second = line.filter(free).sort((a, b) => a.rank - b.rank || opensAnother(a) - opensAnother(b) || byCost(a, b))[0];
				if (second) {
					hide(second);
					changed = true;
				}
			}
		}
		// Nothing hidden, nothing to protect: the rule above needs a hidden entry too. Most tables
		// with no small count (every count 0, say) end here, without building the flow's graph.
		if (!entries.some((e) => e.hidden)) break;
		const { graph, canMove } = mobility(entries, extended.nodes);
		// Hiding more only adds arcs, so an entry once protected stays protected.
		const exposed = entries.filter((e) => {
			if (!e.shown || !e.hidden || protectedEntries.has(e)) return false;
			if (!canMove(e)) return true;
			protectedEntries.add(e);
			return false;
		});
		if (exposed.length === 0) break;
		const ordered = entries.filter((e) => e.shown && free(e)).sort(byCost);
		for (const x of exposed) {
			// An earlier choice in this round may have freed it already.
			if (movesBySearch(graph, x)) continue;
			const ways = escapes(graph, x);
			const pick = (test: (e: Entry) => boolean) => ordered.find((e) => !e.hidden && test(e));
			const choice = pick((e) => wouldFree(e, ways)) ?? pick((e) => sharesLine(e, x)) ?? pick(() => true);
			// Hiding every non-zero entry protects them all (each lies on a cycle of unknowns), so an
			// exposed entry always leaves something to hide; anything else is a fault here.
			if (!choice) {
				if (kept.size > 0) throw new NothingLeftToHide('Every entry that would protect a hidden count is shown elsewhere');
				throw new Error('Disclosure control found an exposed count with nothing left to hide');
			}
			hide(choice);
			graph.add(choice);
		}
	}
	const { grid } = extended;
	const cell = (e: Entry): Cell => ({ value: e.value, hidden: e.hidden, reason: e.reason });
	return {
		cells: grid.slice(0, height).map((line) => line.slice(0, width).map(cell)),
		...(table.rowTotals ? { rowTotals: grid.slice(0, height).map((line) => cell(line[width]!)) } : {}),
		...(table.columnTotals ? { columnTotals: grid[height]!.slice(0, width).map(cell) } : {}),
		...(table.grandTotal !== undefined ? { grandTotal: cell(grid[height]![width]!) } : {}),
		threshold
	};
}

/** A table of an output whose entries are named: entries with the same name are one figure. */
export interface LinkedTable {
	table: CountTable;
	/** The name of each entry, shaped like the table; totals only where the table passes them. */
	names: { cells: string[][]; rowTotals?: string[]; columnTotals?: string[]; grandTotal?: string };
}

/**
 * One figure that holds another (a year and its quarter, the district and a school in it), or
 * the sum of several; with `plus`, figures added to the whole (the district less a school in a
 * year, less the same in a quarter of it: whole the district's year, plus the school's quarter,
 * parts the school's year and the district's quarter).
 */
export interface Containment {
	whole: string;
	parts: string[];
	plus?: string[];
}

export interface LinkedSystem {
	tables: LinkedTable[];
	/** Figures shown with no total beside them (or beside totals that are not their sums). */
	counts?: Map<string, number>;
	/** A whole less its parts is a count too: when all are shown it must not be small. */
	containments?: Containment[];
	/**
	 * Figures decided by another output read with this one: true hidden there, false shown there.
	 * Only asked for the figures of this system, so it may hold far more (every figure of a year).
	 */
	settled?: Pick<ReadonlyMap<string, boolean>, 'get'>;
}

export interface LinkedOptions extends SuppressionOptions {
	floor?: 0 | 1;
}

/**
 * Suppresses several tables that share figures as one output: a figure hidden in one table is
 * hidden in every table and list it appears in, each table is protected again with it hidden,
 * and a whole whose difference from its shown parts is small is hidden, until nothing changes.
 * Hiding only ever adds, so it ends. Returns every named figure's cell.
 */
export function suppressLinked(system: LinkedSystem, options?: LinkedOptions): Map<string, Cell> {
	const threshold = thresholdOf(options);
	// Each figure by a number, in the order it is first named, and what is known of it in arrays
	// by that number: a county's financial year is about 33,000 figures, each in several
	// containments and tables, and each name is now looked up once rather than at every step.
	const figures = new Map<string, number>();
	const names: string[] = [];
	const values: number[] = [];
	const note = (name: string, value: number): number => {
		const known = figures.get(name);
		if (known === undefined) {
			figures.set(name, names.length);
			names.push(name);
			values.push(value);
			return names.length - 1;
		}
		if (values[known] !== value) throw new RangeError(`${name} is ${values[known]} in one table and ${value} in another`);
		return known;
	};
	const tables = system.tables.map((linked) => linkedEntries(linked, note));
	for (const [name, value] of system.counts ?? []) note(name, value);
	const figure = (name: string): number => {
		const known = figures.get(name);
		if (known === undefined) throw new RangeError(`${name} is in no table`);
		return known;
	};
	// Only a containment whose whole less its parts is a small count can hide anything: the values never change, so find those once.
	const smallRests: { whole: number; parts: number[]; plus: number[] }[] = [];
	for (const { whole, parts, plus = [] } of system.containments ?? []) {
		let rest = values[figure(whole)]!;
		for (const part of parts) rest -= values[figure(part)]!;
		for (const added of plus) rest += values[figure(added)]!;
		if (isSmall(rest, threshold)) smallRests.push({ whole: figure(whole), parts: parts.map(figure), plus: plus.map(figure) });
	}

	const hidden: (SuppressionReason | null)[] = names.map(() => null);
	const shownElsewhere = new Uint8Array(names.length);
	if (system.settled) {
		names.forEach((name, i) => {
			const isHidden = system.settled!.get(name);
			if (isHidden === true) hidden[i] = 'secondary';
			else if (isHidden === false) shownElsewhere[i] = 1;
		});
	}
	values.forEach((value, i) => {
		if (isSmall(value, threshold) && hidden[i] === null) hidden[i] = 'primary';
	});
	// -1: a place the table does not name (see linkedEntries), never hidden.
	const isHidden = (i: number) => i >= 0 && hidden[i] !== null;
	const hiddenIn = (entries: readonly number[]) => entries.reduce((n, i) => (hidden[i] !== null ? n + 1 : n), 0);
	for (let changed = true; changed;) {
		changed = false;
		const hide = (i: number) => {
			if (hidden[i] !== null || shownElsewhere[i]) return false;
			hidden[i] = 'secondary';
			changed = true;
			return true;
		};
		for (const { whole, parts, plus } of smallRests) {
			if (isHidden(whole) || parts.some(isHidden) || plus.some(isHidden)) continue;
			// The whole goes first; if it is shown elsewhere, what is added to it, then the largest part that may go.
			if (hide(whole) || plus.some(hide)) continue;
			const part = parts.filter((p) => !shownElsewhere[p] && values[p]! > 0).sort((a, b) => values[b]! - values[a]!)[0];
			if (part !== undefined) hide(part);
		}
		for (const linkedTable of tables) {
			const { linked, entries, positions, at } = linkedTable;
			const hiddenNow = hiddenIn(entries);
			// Nothing hidden: suppressing it would hide nothing. Hidden as when last suppressed, or as
			// that left it: suppressing it again gives the same pattern (a suppressed table is a fixed point).
			if (hiddenNow === 0 || hiddenNow === linkedTable.before || hiddenNow === linkedTable.after) continue;
			linkedTable.before = hiddenNow;
			let result: SuppressedTable;
			try {
				result = suppressTable(linked.table, {
					threshold,
					floor: options?.floor,
					hidden: (p) => isHidden(at(p)),
					keep: (p) => shownElsewhere[at(p)] === 1
				});
			} catch (error) {
				if (!(error instanceof NothingLeftToHide) && !(error instanceof Error && error.message.includes('nothing left to hide'))) throw error;
				// Every count of this table that may go goes: what is shown elsewhere stays as it is there.
				for (const i of entries) if (values[i]! > 0) hide(i);
				linkedTable.after = hiddenIn(entries);
				continue;
			}
			const { cells, rowTotals, columnTotals, grandTotal } = result;
			const state = (p: TablePosition): Cell | undefined =>
				p.row === 'total'
					? p.column === 'total'
						? grandTotal
						: columnTotals?.[p.column]
					: p.column === 'total'
						? rowTotals?.[p.row]
						: cells[p.row]?.[p.column];
			entries.forEach((i, k) => {
				if (state(positions[k]!)?.hidden) hide(i);
			});
			linkedTable.after = hiddenIn(entries);
		}
	}
	return new Map(
		names.map((name, i) => {
			const reason = hidden[i]!;
			return [name, { value: values[i]!, hidden: reason !== null, reason }];
		})
	);
}

/**
 * A linked table's entries as figure numbers (`note` gives each name its number and checks its
 * value), with their places in the table, and the figure at a place (-1: an entry the table does
 * not name, such as a total it is not given).
 */
function linkedEntries({ table, names }: LinkedTable, note: (name: string, value: number) => number) {
	const entries: number[] = [];
	const positions: TablePosition[] = [];
	const add = (name: string, value: number, position: TablePosition) => {
		const i = note(name, value);
		entries.push(i);
		positions.push(position);
		return i;
	};
	const cellAt = table.rows.map((row, r) => row.map((value, c) => add(names.cells[r]![c]!, value, { row: r, column: c })));
	const rowTotalAt = table.rowTotals?.map((value, r) => add(names.rowTotals![r]!, value, { row: r, column: 'total' })) ?? [];
	const columnTotalAt = table.columnTotals?.map((value, c) => add(names.columnTotals![c]!, value, { row: 'total', column: c })) ?? [];
	const grandTotalAt = table.grandTotal === undefined ? -1 : add(names.grandTotal!, withTotals(table.rows).grandTotal!, { row: 'total', column: 'total' });
	const at = (p: TablePosition): number =>
		(p.row === 'total'
			? p.column === 'total'
				? grandTotalAt
				: columnTotalAt[p.column]
			: p.column === 'total'
				? rowTotalAt[p.row]
				: cellAt[p.row]?.[p.column]) ?? -1;
	// How many of its entries were hidden when it was last suppressed, and after: hiding only adds, so an equal count is the same set.
	return { linked: { table, names }, entries, positions, at, before: -1, after: -1 };
}

export function exposedEntries(table: CountTable, result: SuppressedTable): TablePosition[] {
	const height = table.rows.length;
	const width = table.rows[0]?.length ?? 0;
	const given = (r: number, c: number): Cell | undefined =>
		r < height ? (c < width ? result.cells[r]?.[c] : result.rowTotals?.[r]) : c < width ? result.columnTotals?.[c] : result.grandTotal;
	let hidesZero = false;
	const extended = extend(
		table,
		(value, shown, r, c) => {
			const hidden = shown && given(r, c)?.hidden === true;
			if (hidden && value === 0) hidesZero = true;
			return hidden ? 'primary' : null;
		},
		// A pattern that hides a zero lets a reader assume only that hidden counts are not negative.
		() => (hidesZero ? 0 : 1)
	);
	// Search alone, without the shortcuts suppressTable takes, so each can check the other.
	const graph = residualGraph(extended.entries, extended.nodes);
	return extended.entries
		.filter((e) => e.shown && e.hidden && !movesBySearch(graph, e))
		.map((e) => ({ row: e.row === height ? 'total' : e.row, column: e.column === width ? 'total' : e.column }));
}

function checkCount(value: number, what: string): void {
	if (!Number.isInteger(value) || value < 0) throw new RangeError(`${what} must be a whole number of at least 0, not ${value}`);
}

// One entry of the table extended by its totals: its place in the flow, and what is known of it.
interface Entry {
	value: number;
	row: number;
	column: number;
	/** 0 a cell, 1 a row or column total, 2 the grand total: the order in which to give them up. */
	rank: number;
	/** Where it sits in row-major order of the extended table, to break ties the same way every time. */
	order: number;
	/** The rows and columns through it whose entries are all shown: the equations a reader can use. */
	lines: Entry[][];
	from: number;
	to: number;
	shown: boolean;
	hidden: boolean;
	reason: 'primary' | 'secondary' | null;
	/** The least a reader knows it can be when hidden. */
	floor: () => number;
}

/**
 * The table extended by its totals (row `height` holds the column totals, column `width` the row
 * totals), checked, with each entry hidden or not by `initially`. Flow nodes: row r is r, column
 * c is height + 1 + c.
 */
function extend(
	table: CountTable,
	initially: (value: number, shown: boolean, row: number, column: number) => 'primary' | 'secondary' | null,
	hiddenFloor: number | (() => number)
) {
	const { rows, rowTotals, columnTotals, grandTotal } = table;
	const height = rows.length;
	const width = rows[0]?.length ?? 0;
	rows.forEach((row, i) => {
		if (row.length !== width) throw new RangeError(`Row ${i} has ${row.length} counts; the first row has ${width}`);
		row.forEach((value, j) => checkCount(value, `Count [${i}][${j}]`));
	});
	const sums = withTotals(rows);
	const checkTotals = (given: number[] | undefined, actual: number[], what: string) => {
		if (given === undefined) return;
		if (given.length !== actual.length) throw new RangeError(`${what} has ${given.length} totals for ${actual.length} lines`);
		given.forEach((total, k) => {
			if (total !== actual[k]) throw new RangeError(`${what}[${k}] is ${total} but its counts add up to ${actual[k]}`);
		});
	};
	checkTotals(rowTotals, sums.rowTotals!, 'rowTotals');
	checkTotals(columnTotals, sums.columnTotals!, 'columnTotals');
	checkTotals(grandTotal === undefined ? undefined : [grandTotal], [sums.grandTotal!], 'grandTotal');

	const floorHidden = typeof hiddenFloor === 'number' ? () => hiddenFloor : hiddenFloor;
	const grid: Entry[][] = [];
	for (let r = 0; r <= height; r++) {
		const line: Entry[] = [];
		for (let c = 0; c <= width; c++) {
			const inRow = r < height;
			const inColumn = c < width;
			const value = inRow ? (inColumn ? rows[r]![c]! : sums.rowTotals![r]!) : inColumn ? sums.columnTotals![c]! : sums.grandTotal!;
			const shown = inRow ? inColumn || rowTotals !== undefined : inColumn ? columnTotals !== undefined : grandTotal !== undefined;
			// Cells and the grand total flow from a row to a column; row and column totals flow back.
			const [from, to] = inRow === inColumn ? [r, height + 1 + c] : [height + 1 + c, r];
			const reason = initially(value, shown, r, c);
			line.push({
				value,
				row: r,
				column: c,
				rank: (inRow ? 0 : 1) + (inColumn ? 0 : 1),
				order: r * (width + 1) + c,
				lines: [],
				from,
				to,
				shown,
				hidden: reason !== null,
				reason,
				floor: shown ? floorHidden : () => 0
			});
		}
		grid.push(line);
	}
	const lines = [...grid, ...Array.from({ length: width + 1 }, (_, c) => grid.map((line) => line[c]!))].filter((line) => line.every((e) => e.shown));
	for (const line of lines) for (const e of line) e.lines.push(line);
	return { grid, entries: grid.flat(), lines, height, width, nodes: height + width + 2 };
}

/** Entries in the same row or column of the extended table share a node of the flow. */
const sharesLine = (e: Entry, x: Entry) => e.from === x.from || e.to === x.to || e.from === x.to || e.to === x.from;

const isUnknown = (e: Entry) => e.hidden || !e.shown;
/** What a reader knows of an unknown: a hidden count is not 0 (zeros are shown), a total not shown is not negative. */
const floorOf = (e: Entry) => e.floor();

interface Arc {
	to: number;
	entry: Entry;
}

/** The residual graph of the flow: an unknown can always go up, and down while above its floor. */
function residualGraph(entries: readonly Entry[], nodes: number) {
	const forward: Arc[][] = Array.from({ length: nodes }, () => []);
	const backward: Arc[][] = Array.from({ length: nodes }, () => []);
	const arc = (from: number, to: number, entry: Entry) => {
		forward[from]!.push({ to, entry });
		backward[to]!.push({ to: from, entry });
	};
	/** Adds the arcs of an entry that has just become unknown. */
	const add = (e: Entry) => {
		arc(e.from, e.to, e);
		if (e.value > floorOf(e)) arc(e.to, e.from, e);
	};
	for (const e of entries) if (isUnknown(e)) add(e);
	return { forward, backward, add };
}

/** Nodes reachable from `start` along `arcs`, never using an arc of `skip`. */
function reach(arcs: Arc[][], start: number, skip: Entry): Set<number> {
	const seen = new Set([start]);
	const queue = [start];
	for (let node = queue.pop(); node !== undefined; node = queue.pop()) {
		for (const arc of arcs[node]!) {
			if (arc.entry === skip || seen.has(arc.to)) continue;
			seen.add(arc.to);
			queue.push(arc.to);
		}
	}
	return seen;
}

type Graph = ReturnType<typeof residualGraph>;

/** The ways `x` could move, each as (nodes the move can reach, nodes that can close the cycle). */
function escapes(graph: Graph, x: Entry): [Set<number>, Set<number>][] {
	const up: [Set<number>, Set<number>] = [reach(graph.forward, x.to, x), reach(graph.backward, x.from, x)];
	if (x.value <= floorOf(x)) return [up];
	return [up, [reach(graph.forward, x.from, x), reach(graph.backward, x.to, x)]];
}

/** Whether `target` is reachable from `start` without an arc of `skip`; stops as soon as it is. */
function connects(graph: Graph, start: number, target: number, skip: Entry): boolean {
	const seen = new Uint8Array(graph.forward.length);
	seen[start] = 1;
	const stack = [start];
	for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
		for (const arc of graph.forward[node]!) {
			if (arc.entry === skip || seen[arc.to]) continue;
			if (arc.to === target) return true;
			seen[arc.to] = 1;
			stack.push(arc.to);
		}
	}
	return false;
}

/** Whether x can move, found by search: exact, but slower than the tests in `mobility`. */
const movesBySearch = (graph: Graph, x: Entry) => connects(graph, x.to, x.from, x) || (x.value > floorOf(x) && connects(graph, x.from, x.to, x));

/** Strongly connected components of the residual graph (Tarjan's algorithm, without recursion). */
function components(graph: Graph): Int32Array {
	const n = graph.forward.length;
	const index = new Int32Array(n).fill(-1);
	const low = new Int32Array(n);
	const component = new Int32Array(n).fill(-1);
	const next = new Int32Array(n);
	const onStack = new Uint8Array(n);
	const stack: number[] = [];
	let counter = 0;
	let found = 0;
	const open = (v: number, path: number[]) => {
		index[v] = low[v] = counter++;
		stack.push(v);
		onStack[v] = 1;
		path.push(v);
	};
	for (let root = 0; root < n; root++) {
		if (index[root] !== -1) continue;
		const path: number[] = [];
		open(root, path);
		while (path.length > 0) {
			const v = path[path.length - 1]!;
			const arcs = graph.forward[v]!;
			const k = next[v]!;
			if (k < arcs.length) {
				next[v] = k + 1;
				const w = arcs[k]!.to;
				if (index[w] === -1) open(w, path);
				else if (onStack[w]) low[v] = Math.min(low[v]!, index[w]!);
				continue;
			}
			path.pop();
			const parent = path[path.length - 1];
			if (parent !== undefined) low[parent] = Math.min(low[parent]!, low[v]!);
			if (low[v] === index[v]) {
				for (let w = stack.pop(); w !== undefined; w = stack.pop()) {
					onStack[w] = 0;
					component[w] = found;
					if (w === v) break;
				}
				found++;
			}
		}
	}
	return component;
}

/**
 * The entries that can move both ways and lie on a cycle of such entries (not bridges of that
 * undirected graph): each can go round it either way, so it is free without a search.
 */
function onTwoWayCycle(entries: readonly Entry[], nodes: number): Set<Entry> {
	const twoWay = entries.filter((e) => isUnknown(e) && e.value > floorOf(e));
	const adjacent: { to: number; edge: number }[][] = Array.from({ length: nodes }, () => []);
	twoWay.forEach((e, edge) => {
		adjacent[e.from]!.push({ to: e.to, edge });
		adjacent[e.to]!.push({ to: e.from, edge });
	});
	const order = new Int32Array(nodes).fill(-1);
	const low = new Int32Array(nodes);
	const next = new Int32Array(nodes);
	const via = new Int32Array(nodes).fill(-1);
	const bridge = new Uint8Array(twoWay.length);
	let counter = 0;
	for (let root = 0; root < nodes; root++) {
		if (order[root] !== -1) continue;
		order[root] = low[root] = counter++;
		const path = [root];
		while (path.length > 0) {
			const v = path[path.length - 1]!;
			const arcs = adjacent[v]!;
			const k = next[v]!;
			if (k < arcs.length) {
				next[v] = k + 1;
				const { to, edge } = arcs[k]!;
				if (edge === via[v]) continue;
				if (order[to] === -1) {
					order[to] = low[to] = counter++;
					via[to] = edge;
					path.push(to);
				} else low[v] = Math.min(low[v]!, order[to]!);
				continue;
			}
			path.pop();
			const parent = path[path.length - 1];
			if (parent === undefined) continue;
			low[parent] = Math.min(low[parent]!, low[v]!);
			if (low[v]! > order[parent]!) bridge[via[v]!] = 1;
		}
	}
	return new Set(twoWay.filter((_, edge) => !bridge[edge]));
}

/**
 * Whether each entry can take another value. Moving x up needs a way back from its head to its
 * tail that does not use x; moving it down, while above its floor, the reverse. Two cheap tests
 * settle most entries: one that can only go up is free exactly when its ends share a strongly
 * connected component (a path back cannot use x's one arc); one that can go both ways is free
 * when it lies on a cycle of such entries. The rest get a search.
 */
function mobility(entries: readonly Entry[], nodes: number) {
	const graph = residualGraph(entries, nodes);
	const component = components(graph);
	const cycling = onTwoWayCycle(entries, nodes);
	const canMove = (x: Entry) => {
		if (x.value <= floorOf(x)) return component[x.from] === component[x.to];
		return cycling.has(x) || movesBySearch(graph, x);
	};
	return { graph, canMove };
}

/** Whether hiding `e` would close a cycle through x, given x's escapes. */
const wouldFree = (e: Entry, ways: [Set<number>, Set<number>][]) =>
	ways.some(([ahead, behind]) => (ahead.has(e.from) && behind.has(e.to)) || (e.value > e.floor() && ahead.has(e.to) && behind.has(e.from)));

const byCost = (a: Entry, b: Entry) => a.rank - b.rank || a.value - b.value || a.order - b.order;
