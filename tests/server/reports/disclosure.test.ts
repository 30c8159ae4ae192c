import { describe, expect, it } from 'vitest';
import {
	derive,
	display,
	exposedEntries,
	suppressLinked,
	exportValue,
	suppressCount,
	suppressionThreshold,
	suppressList,
	suppressTable,
	withTotals,
	type Cell,
	type CountTable,
	type SuppressedTable
} from '../../../src/lib/server/reports/disclosure';
import { mulberry32 } from '../../support/seeded';

/** Tables as reports have them: many zeros, many small counts, some large ones; any totals shown. */
function randomTable(next: () => number, maxRows: number, maxColumns: number, maxCount: number, threshold: number): CountTable {
	const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
	const height = int(1, maxRows);
	const width = int(1, maxColumns);
	const rows = Array.from({ length: height }, () =>
		Array.from({ length: width }, () => {
			const kind = next();
			if (kind < 0.3) return 0;
			if (kind < 0.65) return int(1, threshold - 1);
			return int(threshold, maxCount);
		})
	);
	const all = withTotals(rows);
	return {
		rows,
		...(next() < 0.75 ? { rowTotals: all.rowTotals } : {}),
		...(next() < 0.75 ? { columnTotals: all.columnTotals } : {}),
		...(next() < 0.6 ? { grandTotal: all.grandTotal } : {})
	};
}

/** The table extended by its totals, as [value, cell or undefined when not shown][][]. */
function extended(table: CountTable, result: SuppressedTable): { value: number; cell?: Cell }[][] {
	const sums = withTotals(table.rows);
	const height = table.rows.length;
	const width = table.rows[0]!.length;
	return Array.from({ length: height + 1 }, (_, r) =>
		Array.from({ length: width + 1 }, (_, c) => {
			if (r < height && c < width) return { value: table.rows[r]![c]!, cell: result.cells[r]![c]! };
			if (r < height) return { value: sums.rowTotals![r]!, cell: result.rowTotals?.[r] };
			if (c < width) return { value: sums.columnTotals![c]!, cell: result.columnTotals?.[c] };
			return { value: sums.grandTotal!, cell: result.grandTotal };
		})
	);
}

/** Every row and column of the extended table whose entries are all shown: a reader's equations. */
function shownLines(grid: { cell?: Cell }[][]): Cell[][] {
	const columns = grid[0]!.map((_, c) => grid.map((row) => row[c]!));
	return [...grid, ...columns].filter((line) => line.every((e) => e.cell)).map((line) => line.map((e) => e.cell!));
}

/**
 * The hidden entries a reader could pin down, found by search rather than by the module's own
 * argument. A reader knows the visible counts, the totals shown, and that a hidden count is at
 * least 1 (zeros are shown). If an entry can take another value at all, it can move by exactly 1
 * round a cycle of hidden entries, changing every hidden cell by at most 1 — so trying each hidden
 * cell at its value -1, 0 or +1 finds a second table whenever one exists, and any table found is
 * a genuine second solution.
 */
function recoverable(table: CountTable, result: SuppressedTable): string[] {
	const grid = extended(table, result);
	const height = table.rows.length;
	const width = table.rows[0]!.length;
	const hiddenCells: [number, number][] = [];
	for (let r = 0; r < height; r++) for (let c = 0; c < width; c++) if (grid[r]![c]!.cell!.hidden) hiddenCells.push([r, c]);
	const moved = new Set<string>();
	const trial = table.rows.map((row) => [...row]);
	const visit = (k: number) => {
		if (k === hiddenCells.length) {
			const sums = withTotals(trial);
			const values = (r: number, c: number) =>
				r < height && c < width ? trial[r]![c]! : r < height ? sums.rowTotals![r]! : c < width ? sums.columnTotals![c]! : sums.grandTotal!;
			for (let r = 0; r <= height; r++) {
				for (let c = 0; c <= width; c++) {
					const { value, cell } = grid[r]![c]!;
					if (!cell) continue;
					if (!cell.hidden && values(r, c) !== value) return;
					if (cell.hidden && values(r, c) < 1) return;
				}
			}
			for (let r = 0; r <= height; r++) {
				for (let c = 0; c <= width; c++) if (grid[r]![c]!.cell?.hidden && values(r, c) !== grid[r]![c]!.value) moved.add(`${r},${c}`);
			}
			return;
		}
		const [r, c] = hiddenCells[k]!;
		const truth = table.rows[r]![c]!;
		for (const value of [truth - 1, truth, truth + 1]) {
			if (value < 1) continue;
			trial[r]![c] = value;
			visit(k + 1);
		}
		trial[r]![c] = truth;
	};
	visit(0);
	const pinned: string[] = [];
	for (let r = 0; r <= height; r++) {
		for (let c = 0; c <= width; c++) if (grid[r]![c]!.cell?.hidden && !moved.has(`${r},${c}`)) pinned.push(`${r},${c}`);
	}
	return pinned;
}

/** Primary suppression alone, to show the search finds what it is there to find. */
const primaryOnly = (table: CountTable): SuppressedTable => {
	const cell = (value: number): Cell => ({ value, hidden: value >= 1 && value < 5, reason: value >= 1 && value < 5 ? 'primary' : null });
	return {
		cells: table.rows.map((row) => row.map(cell)),
		rowTotals: table.rowTotals?.map(cell),
		columnTotals: table.columnTotals?.map(cell),
		grandTotal: table.grandTotal === undefined ? undefined : cell(table.grandTotal),
		threshold: 5
	};
};

const hiddenOf = (cells: Cell[]) => cells.map((cell) => (cell.hidden ? 'c' : cell.value));

describe('suppressTable on random tables', () => {
	const thresholds = [2, 3, 5, 5, 5, 10];

	it('shows no count from 1 to threshold - 1, never hides a zero, keeps every value, and leaves no shown line with one hidden entry', () => {
		const next = mulberry32(20181);
		let hiddenSeen = 0;
		for (let n = 0; n < 1500; n++) {
			const threshold = thresholds[n % thresholds.length]!;
			const table = randomTable(next, 12, 8, 60, threshold);
			const result = suppressTable(table, { threshold });
			const grid = extended(table, result);
			for (const row of grid) {
				for (const { value, cell } of row) {
					if (!cell) continue;
					expect(cell.value).toBe(value);
					if (!cell.hidden) expect(value === 0 || value >= threshold, `table ${n} shows ${value}`).toBe(true);
					if (value === 0) expect(cell.hidden).toBe(false);
					expect(cell.reason).toBe(cell.hidden ? (value < threshold ? 'primary' : 'secondary') : null);
					if (cell.hidden) hiddenSeen++;
				}
			}
			for (const line of shownLines(grid)) {
				const hidden = line.filter((cell) => cell.hidden).length;
				expect(hidden === 0 || hidden >= 2, `table ${n}: a shown line has one hidden entry`).toBe(true);
			}
		}
		// The generator must actually produce suppression for the checks above to mean anything.
		expect(hiddenSeen).toBeGreaterThan(5000);
	});

	it('leaves every hidden entry of small tables with a second possible value, found by search', () => {
		const next = mulberry32(802);
		let checked = 0;
		for (let n = 0; n < 600; n++) {
			const threshold = thresholds[n % thresholds.length]!;
			const table = randomTable(next, 3, 3, 14, threshold);
			const result = suppressTable(table, { threshold });
			expect(recoverable(table, result), `table ${n}: ${JSON.stringify(table)}`).toEqual([]);
			checked += extended(table, result)
				.flat()
				.filter((e) => e.cell?.hidden).length;
		}
		expect(checked).toBeGreaterThan(1000);
	});

	it('agrees with a plain search on larger tables that no hidden entry is exposed', () => {
		const next = mulberry32(2019);
		for (let n = 0; n < 150; n++) {
			const threshold = thresholds[n % thresholds.length]!;
			const table = randomTable(next, 30, 10, 60, threshold);
			expect(exposedEntries(table, suppressTable(table, { threshold })), `table ${n}`).toEqual([]);
		}
	});

	it('gives the same answer for the same table', () => {
		const next = mulberry32(7);
		for (let n = 0; n < 50; n++) {
			const table = randomTable(next, 10, 6, 40, 5);
			expect(suppressTable(table, { threshold: 5 })).toEqual(suppressTable(table, { threshold: 5 }));
		}
	});
});

describe('the search that checks suppression', () => {
	it('finds a lone hidden cell worked out from its row total', () => {
		expect(recoverable({ rows: [[3, 10, 12]], rowTotals: [25] }, primaryOnly({ rows: [[3, 10, 12]], rowTotals: [25] }))).toEqual(['0,0']);
	});

	it('finds two hidden cells pinned at 1 because a hidden count is never 0', () => {
		const table = { rows: [[1, 1, 30]], rowTotals: [32] };
		expect(recoverable(table, primaryOnly(table))).toEqual(['0,0', '0,1']);
	});

	it('agrees with exposedEntries, which names totals as such', () => {
		const table = { rows: [[3], [40]], columnTotals: [43] };
		expect(recoverable(table, primaryOnly(table))).toEqual(['0,0']);
		expect(exposedEntries(table, primaryOnly(table))).toEqual([{ row: 0, column: 0 }]);
		const small = { rows: [[2, 40]], columnTotals: [2, 40], grandTotal: 42 };
		const hidden = primaryOnly(small);
		expect(exposedEntries(small, hidden)).toEqual([
			{ row: 0, column: 0 },
			{ row: 'total', column: 0 }
		]);
		expect(exposedEntries(small, suppressTable(small, { threshold: 5 }))).toEqual([]);
	});
});

describe('suppressTable by hand', () => {
	it('hides a 2 x 2 block rather than a chain when one small cell sits in a table with totals', () => {
		const table = withTotals([
			[1, 6, 8],
			[7, 9, 10],
			[12, 5, 20]
		]);
		const result = suppressTable(table, { threshold: 5 });
		expect(result.cells.map(hiddenOf)).toEqual([
			['c', 'c', 8],
			['c', 'c', 10],
			[12, 5, 20]
		]);
		expect(result.cells[0]![0]!.reason).toBe('primary');
		expect(result.cells[1]![1]!.reason).toBe('secondary');
		expect(hiddenOf(result.rowTotals!)).toEqual([15, 26, 37]);
		expect(hiddenOf(result.columnTotals!)).toEqual([20, 20, 38]);
		expect(result.grandTotal).toEqual({ value: 78, hidden: false, reason: null });
	});

	it('hides a small total, and the cells under it', () => {
		const result = suppressTable(
			{
				rows: [
					[2, 0],
					[0, 0],
					[30, 40]
				],
				rowTotals: [2, 0, 70]
			},
			{ threshold: 5 }
		);
		expect(result.cells.map(hiddenOf)).toEqual([
			['c', 0],
			[0, 0],
			[30, 40]
		]);
		expect(hiddenOf(result.rowTotals!)).toEqual(['c', 0, 70]);
	});

	it('hides nothing more when no total is shown', () => {
		const result = suppressTable(
			{
				rows: [
					[3, 40],
					[50, 60]
				]
			},
			{ threshold: 5 }
		);
		expect(result.cells.map(hiddenOf)).toEqual([
			['c', 40],
			[50, 60]
		]);
		expect(result.rowTotals).toBeUndefined();
	});

	it('protects a hidden cell from the grand total alone', () => {
		const result = suppressTable(
			{
				rows: [
					[3, 40],
					[50, 60]
				],
				grandTotal: 153
			},
			{ threshold: 5 }
		);
		expect(result.cells.map(hiddenOf)).toEqual([
			['c', 'c'],
			[50, 60]
		]);
		expect(result.grandTotal?.hidden).toBe(false);
	});

	it('breaks the link when every line has two hidden entries but one cell joins two blocks', () => {
		// Hidden blocks at rows 0-1 x columns 0-1 and rows 2-3 x columns 2-3, joined by [1][2]. Every
		// row and column has two or more hidden cells, yet rows 0-1 less columns 0-1 leave [1][2] alone.
		const table = withTotals([
			[2, 3, 0, 20],
			[4, 2, 1, 30],
			[0, 0, 3, 4],
			[40, 50, 2, 4]
		]);
		expect(recoverable(table, primaryOnly(table))).toEqual(['1,2']);
		expect(exposedEntries(table, primaryOnly(table))).toEqual([{ row: 1, column: 2 }]);
		const result = suppressTable(table, { threshold: 5 });
		expect(recoverable(table, result)).toEqual([]);
		expect(result.cells.flat().filter((cell) => cell.reason === 'secondary').length).toBeGreaterThan(0);
	});

	it('refuses totals that are not the sums of their counts', () => {
		expect(() => suppressTable({ rows: [[5, 6]], rowTotals: [12] }, { threshold: 5 })).toThrow('rowTotals[0] is 12 but its counts add up to 11');
		expect(() => suppressTable({ rows: [[5, 6], [1]] }, { threshold: 5 })).toThrow(RangeError);
		expect(() => suppressTable({ rows: [[5, -1]] }, { threshold: 5 })).toThrow(RangeError);
		expect(() => suppressTable({ rows: [[5, 1.5]] }, { threshold: 5 })).toThrow(RangeError);
	});

	it('shows a table with nothing small as it is, and still checks its totals and what another table hid', () => {
		const shown = (value: number) => ({ value, hidden: false, reason: null });
		expect(
			suppressTable(
				withTotals([
					[0, 0],
					[0, 0]
				]),
				{ threshold: 5 }
			)
		).toEqual({
			cells: [
				[shown(0), shown(0)],
				[shown(0), shown(0)]
			],
			rowTotals: [shown(0), shown(0)],
			columnTotals: [shown(0), shown(0)],
			grandTotal: shown(0),
			threshold: 5
		});
		expect(
			hiddenOf(
				suppressTable(
					withTotals([
						[9, 12],
						[30, 7]
					]),
					{ threshold: 5 }
				).cells.flat()
			)
		).toEqual([9, 12, 30, 7]);
		expect(() => suppressTable({ rows: [[0, 0]], rowTotals: [1] }, { threshold: 5 })).toThrow('rowTotals[0] is 1 but its counts add up to 0');
		// Nothing small here, but a cell hidden elsewhere in the output is protected all the same.
		const linked = suppressTable(
			withTotals([
				[9, 12],
				[30, 7]
			]),
			{ threshold: 5, hidden: (p) => p.row === 0 && p.column === 0 }
		);
		expect(linked.cells[0]![0]).toEqual({ value: 9, hidden: true, reason: 'secondary' });
		expect(
			exposedEntries(
				withTotals([
					[9, 12],
					[30, 7]
				]),
				linked
			)
		).toEqual([]);
	});

	it('takes an empty table', () => {
		expect(suppressTable({ rows: [], columnTotals: [], grandTotal: 0 }, { threshold: 5 })).toEqual({
			cells: [],
			columnTotals: [],
			grandTotal: { value: 0, hidden: false, reason: null },
			threshold: 5
		});
	});
});

describe('suppressList', () => {
	it('hides small counts and, with a total, the next smallest count', () => {
		expect(hiddenOf(suppressList([3, 10, 12], { threshold: 5 }).cells)).toEqual(['c', 10, 12]);
		const withTotal = suppressList([12, 3, 10, 0], { total: 25, threshold: 5 });
		expect(hiddenOf(withTotal.cells)).toEqual([12, 'c', 'c', 0]);
		expect(withTotal.cells[2]!.reason).toBe('secondary');
		expect(withTotal.total).toEqual({ value: 25, hidden: false, reason: null });
	});

	it('hides a third count when the two hidden ones could only be 1 each', () => {
		const result = suppressList([1, 1, 50, 60], { total: 112, threshold: 5 });
		expect(hiddenOf(result.cells)).toEqual(['c', 'c', 'c', 60]);
	});

	it('shows zeros and leaves a list of large counts alone', () => {
		expect(hiddenOf(suppressList([0, 5, 0, 9], { total: 14, threshold: 5 }).cells)).toEqual([0, 5, 0, 9]);
	});

	it('answers as the whole table check does, whether or not a count is small, and refuses a wrong total all the same', () => {
		const lists = [[0], [0, 0, 0, 0, 0, 0], [5, 0, 1200], [4, 0, 9], [5, 6, 7], [1, 0], [0, 30, 2, 2]];
		for (const counts of lists) {
			for (const total of [undefined, counts.reduce((a, b) => a + b, 0)]) {
				const table = suppressTable({ rows: counts.map((c) => [c]), columnTotals: total === undefined ? undefined : [total] }, { threshold: 5 });
				const list = suppressList(counts, { total, threshold: 5 });
				expect(list.cells, JSON.stringify({ counts, total })).toEqual(table.cells.map((row) => row[0]));
				expect(list.total, JSON.stringify({ counts, total })).toEqual(table.columnTotals?.[0]);
				expect(list.threshold).toBe(5);
			}
		}
		// An empty list (a district with no programmes yet) has nothing to hide; the table check refuses a total with no lines.
		expect(suppressList([], { total: 0, threshold: 5 })).toEqual({ cells: [], total: { value: 0, hidden: false, reason: null }, threshold: 5 });
		expect(() => suppressList([0, 0], { total: 5, threshold: 5 })).toThrow(RangeError);
		expect(() => suppressList([5, -5], { threshold: 5 })).toThrow(RangeError);
		expect(() => suppressList([7.5], { threshold: 5 })).toThrow(RangeError);
	});
});

describe('derived values, single counts and display', () => {
	it('hides a percentage built on a hidden count and shows one built on visible counts', () => {
		const list = suppressList([3, 40, 57], { total: 100, threshold: 5 });
		const [small, middle, large] = list.cells as [Cell, Cell, Cell];
		const share = (part: Cell) => derive((100 * part.value) / list.total!.value, [part, list.total!]);
		expect(share(small)).toEqual({ value: 3, hidden: true, reason: 'derived' });
		expect(display(share(middle))).toBe('c');
		expect(display(share(large), (v) => `${v.toFixed(1)}%`)).toBe('57.0%');
	});

	it('suppresses a lone count and renders it for pages and exports', () => {
		expect(suppressCount(4, { threshold: 5 })).toEqual({ value: 4, hidden: true, reason: 'primary' });
		expect(suppressCount(0, { threshold: 5 }).hidden).toBe(false);
		expect(display(suppressCount(4, { threshold: 5 }))).toBe('c');
		expect(display(suppressCount(1234, { threshold: 5 }), (v) => v.toLocaleString('en-GB'))).toBe('1,234');
		expect(exportValue(suppressCount(4, { threshold: 5 }))).toBe('c');
		expect(exportValue(suppressCount(7, { threshold: 5 }))).toBe(7);
		expect(suppressCount(4, { threshold: 3 }).hidden).toBe(false);
	});
});

describe('suppressionThreshold', () => {
	it('is 5 unless set, and takes a whole number from 2 to 20', () => {
		expect(suppressionThreshold({})).toBe(5);
		expect(suppressionThreshold({ REPORT_SUPPRESSION_THRESHOLD: '' })).toBe(5);
		expect(suppressionThreshold({ REPORT_SUPPRESSION_THRESHOLD: ' 10 ' })).toBe(10);
		expect(suppressionThreshold({ REPORT_SUPPRESSION_THRESHOLD: '2' })).toBe(2);
		expect(suppressionThreshold({ REPORT_SUPPRESSION_THRESHOLD: '20' })).toBe(20);
	});

	it('refuses anything else', () => {
		for (const value of ['1', '21', '0', '-5', '5.5', '0x5', 'five', '1e1']) {
			expect(() => suppressionThreshold({ REPORT_SUPPRESSION_THRESHOLD: value }), value).toThrow(
				'REPORT_SUPPRESSION_THRESHOLD must be a whole number from 2 to 20'
			);
		}
		expect(() => suppressTable({ rows: [[1]] }, { threshold: 1 })).toThrow(RangeError);
	});

	it('is what suppressTable uses when no threshold is passed', () => {
		const saved = process.env.REPORT_SUPPRESSION_THRESHOLD;
		try {
			process.env.REPORT_SUPPRESSION_THRESHOLD = '10';
			expect(suppressTable({ rows: [[7, 12]] }).cells[0]![0]!.hidden).toBe(true);
			delete process.env.REPORT_SUPPRESSION_THRESHOLD;
			expect(suppressTable({ rows: [[7, 12]] }).cells[0]![0]!.hidden).toBe(false);
		} finally {
			if (saved === undefined) delete process.env.REPORT_SUPPRESSION_THRESHOLD;
			else process.env.REPORT_SUPPRESSION_THRESHOLD = saved;
		}
	});
});

describe('suppressLinked: the tables of one output as one system', () => {
	it('hides a sum of hidden counts from 1 to threshold - 1 that a shown total would tell', () => {
		const result = suppressTable({ rows: [[1], [2], [30]], columnTotals: [33] }, { threshold: 5 });
		expect(result.cells.map((row) => row[0]!.hidden)).toEqual([true, true, true]);
		expect(result.columnTotals![0]!.hidden).toBe(false);
	});

	it('hides a quarter the trend hid on the quarter’s own overview too, and protects it there', () => {
		// The trend: four quarters and the year. The overview of the second quarter: two programmes and the quarter.
		const trend = { table: { rows: [[3], [20], [40], [50]], columnTotals: [113] }, names: { cells: [['q1'], ['q2'], ['q3'], ['q4']], columnTotals: ['year'] } };
		const overview = { table: { rows: [[12], [8]], columnTotals: [20] }, names: { cells: [['q2 a'], ['q2 b']], columnTotals: ['q2'] } };
		const cells = suppressLinked({ tables: [trend, overview] }, { threshold: 5 });
		expect(cells.get('q1')!.hidden).toBe(true);
		expect(cells.get('q2')!.hidden).toBe(true);
		const pattern = (names: string[][], total: string) => ({
			cells: names.map((row) => row.map((n) => cells.get(n)!)),
			columnTotals: [cells.get(total)!],
			threshold: 5
		});
		expect(exposedEntries(trend.table, pattern(trend.names.cells, 'year'))).toEqual([]);
		expect(exposedEntries(overview.table, pattern(overview.names.cells, 'q2'))).toEqual([]);
		// Without the link, the overview alone would have shown the quarter's 20, and the year less the rest the hidden 3.
		expect(suppressTable(overview.table, { threshold: 5 }).columnTotals![0]!.hidden).toBe(false);
	});

	it('hides a whole whose difference from the parts shown is small, and keeps what another output settled as shown', () => {
		const cells = suppressLinked(
			{
				tables: [],
				counts: new Map([
					['year', 10],
					['quarter', 8],
					['other', 7]
				]),
				containments: [
					{ whole: 'year', parts: ['quarter'] },
					{ whole: 'other', parts: ['quarter'] }
				],
				settled: new Map([['other', false]])
			},
			{ threshold: 5 }
		);
		expect(cells.get('year')!.hidden).toBe(true);
		expect(cells.get('other')!.hidden).toBe(false);
		// 'other' less 'quarter' is negative, no count: nothing to hide for it.
		expect(cells.get('quarter')!.hidden).toBe(false);
	});

	it('asks what another output settled only of its own figures, and hides and protects what was hidden there', () => {
		// Another output's decisions, as a year's are: far more figures than this table's.
		const decided = new Map<string, boolean>([
			['q1', true],
			['year', false],
			...Array.from({ length: 1000 }, (_, i): [string, boolean] => [`elsewhere ${i}`, true])
		]);
		const asked: string[] = [];
		const trend = {
			table: { rows: [[30], [20], [40], [50]], columnTotals: [140] },
			names: { cells: [['q1'], ['q2'], ['q3'], ['q4']], columnTotals: ['year'] }
		};
		const settled = {
			get: (name: string) => {
				asked.push(name);
				return decided.get(name);
			}
		};
		const cells = suppressLinked({ tables: [trend], settled }, { threshold: 5 });
		expect(asked.sort()).toEqual(['q1', 'q2', 'q3', 'q4', 'year']);
		expect(cells.get('q1')).toEqual({ value: 30, hidden: true, reason: 'secondary' });
		// The year stays shown, as it was there: so one more quarter goes, or the year less the rest would tell q1.
		expect(cells.get('year')!.hidden).toBe(false);
		expect([...cells.values()].filter((cell) => cell.hidden)).toHaveLength(2);
		expect(exposedEntries(trend.table, { cells: trend.names.cells.map(([n]) => [cells.get(n!)!]), columnTotals: [cells.get('year')!], threshold: 5 })).toEqual(
			[]
		);
		expect(cells.has('elsewhere 0')).toBe(false);
	});
});
