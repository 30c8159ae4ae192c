import { describe, expect, it } from 'vitest';
import { presentTable, type ShownCells } from '../../../src/lib/server/reports/present';
import { reportTable } from '../../../src/lib/server/reports/report-table';
import { parseSort, sortRows } from '../../../src/lib/server/reports/report-sort';
import { emptyFigures, type Figures } from '../../../src/lib/server/reports/reports.queries';

// The by-school page sorts what it shows: a hidden figure (`c`) has no value on the page, so
// its row sorts as unknown, after the figures shown, in both directions.

function figures(key: string, attended: number, expected = attended): Figures {
	return { ...emptyFigures(key), attended, expected, placesBooked: expected };
}

/** Schools as the page gets them from presentTable, suppressed as a report viewer sees them. */
function viewerRows(values: Record<string, number>) {
	const rows = Object.entries(values).map(([name, attended]) => ({ name, town: 'Dover', figures: figures(name, attended) }));
	const total = figures(
		'total',
		Object.values(values).reduce((a, b) => a + b, 0)
	);
	return presentTable(reportTable(rows, total, 5)).rows;
}

const names = (rows: { name: string }[]) => rows.map((r) => r.name);

function row(name: string, attended: number | null, town = 'Dover'): { name: string; town: string; cells: ShownCells } {
	const cells = Object.fromEntries(
		['attended', 'attendanceRate', 'placesBooked'].map((m) => [m, { text: attended === null ? 'c' : String(attended), value: attended }])
	) as unknown as ShownCells;
	return { name, town, cells };
}

describe('sorting report rows', () => {
	it('puts hidden figures after the figures shown, largest first and smallest first alike', () => {
		const rows = viewerRows({ Alder: 30, Birch: 2, Cedar: 12, Damson: 3, Elm: 0, Fir: 50 });
		// Birch and Damson are below the threshold, so the page has `c` and no value for them.
		const hidden = rows.filter((r) => r.cells.attended.text === 'c').map((r) => r.name);
		expect(hidden.sort()).toEqual(['Birch', 'Damson']);
		expect(rows.find((r) => r.name === 'Birch')!.cells.attended.value).toBeNull();

		const descending = sortRows(rows, { key: 'attended', dir: 'desc' });
		expect(names(descending)).toEqual(['Fir', 'Alder', 'Cedar', 'Elm', 'Birch', 'Damson']);
		const ascending = sortRows(rows, { key: 'attended', dir: 'asc' });
		expect(names(ascending)).toEqual(['Elm', 'Cedar', 'Alder', 'Fir', 'Birch', 'Damson']);
	});

	it('orders hidden rows among themselves by name, never by the figure behind them', () => {
		// Both directions give the same order for the hidden rows, so their true sizes can't be read from it.
		const rows = [row('Zeta', null), row('Alpha', null), row('Mid', 20)];
		expect(names(sortRows(rows, { key: 'attended', dir: 'asc' }))).toEqual(['Mid', 'Alpha', 'Zeta']);
		expect(names(sortRows(rows, { key: 'attended', dir: 'desc' }))).toEqual(['Mid', 'Alpha', 'Zeta']);
	});

	it('breaks ties by name and sorts text columns either way', () => {
		const rows = [row('Deal School', 10, 'Deal'), row('Castle', 10, 'Dover'), row('Abbey', 10, 'Dover'), row('Beach', 5, 'Deal')];
		expect(names(sortRows(rows, { key: 'attended', dir: 'desc' }))).toEqual(['Abbey', 'Castle', 'Deal School', 'Beach']);
		expect(names(sortRows(rows, { key: 'town', dir: 'asc' }))).toEqual(['Beach', 'Deal School', 'Abbey', 'Castle']);
		expect(names(sortRows(rows, { key: 'town', dir: 'desc' }))).toEqual(['Abbey', 'Castle', 'Beach', 'Deal School']);
		expect(names(sortRows(rows, { key: 'name', dir: 'desc' }))).toEqual(['Deal School', 'Castle', 'Beach', 'Abbey']);
	});

	it('leaves the rows it was given as they were', () => {
		const rows = [row('B', 1), row('A', 2)];
		sortRows(rows, { key: 'attended', dir: 'desc' });
		expect(names(rows)).toEqual(['B', 'A']);
	});
});

describe('reading the sort from the address', () => {
	const parse = (query: string) => parseSort(new URLSearchParams(query), ['name', 'phase', 'town']);

	it('sorts figures largest first and words A to Z unless told otherwise', () => {
		expect(parse('sort=attended')).toEqual({ key: 'attended', dir: 'desc' });
		expect(parse('sort=town')).toEqual({ key: 'town', dir: 'asc' });
		expect(parse('sort=attended&dir=asc')).toEqual({ key: 'attended', dir: 'asc' });
	});

	it('falls back to names A to Z for anything it does not know', () => {
		expect(parse('')).toEqual({ key: 'name', dir: 'asc' });
		expect(parse('sort=password_hash&dir=desc')).toEqual({ key: 'name', dir: 'desc' });
		expect(parse('sort=attended&dir=sideways')).toEqual({ key: 'attended', dir: 'desc' });
		expect(parseSort(new URLSearchParams('sort=town'), ['name'])).toEqual({ key: 'name', dir: 'asc' });
	});
});
