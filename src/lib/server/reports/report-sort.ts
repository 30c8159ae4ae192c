import { columns, type Measure } from './report-table';
import type { ShownCells } from './present';

// Sorting a report table's rows by any column, on the server, from `?sort=` and `?dir=`.
// Rows are sorted by what the reader sees: a hidden figure (`c`) or one that does not apply
// (`n/a`) has no value on the page, so those rows sort as unknown, after every shown figure in
// either direction, and never by the figure behind them.

export type SortDirection = 'asc' | 'desc';
export type TextColumn = 'name' | 'phase' | 'town';
export type SortKey = Measure | TextColumn;

export interface Sort {
	key: SortKey;
	dir: SortDirection;
}

const measures = new Set<string>(columns.map((c) => c.measure));

export function isMeasure(key: string): key is Measure {
	return measures.has(key);
}

/** The sort a page's parameters ask for; anything unknown falls back to the first text column, A to Z. */
export function parseSort(params: URLSearchParams, textColumns: readonly TextColumn[] = ['name']): Sort {
	const key = params.get('sort') ?? '';
	const dir = params.get('dir');
	const known = isMeasure(key) || (textColumns as readonly string[]).includes(key);
	if (!known) return { key: textColumns[0] ?? 'name', dir: dir === 'desc' ? 'desc' : 'asc' };
	return { key: key as SortKey, dir: dir === 'asc' || dir === 'desc' ? dir : isMeasure(key) ? 'desc' : 'asc' };
}

type Sortable = { name: string; cells: ShownCells } & Partial<Record<'phase' | 'town', string>>;

const byName = new Intl.Collator('en-GB', { sensitivity: 'base', numeric: true });

/** The rows in the order asked for, ties broken by name; a new array, the input left as it was. */
export function sortRows<R extends Sortable>(rows: readonly R[], sort: Sort): R[] {
	const sign = sort.dir === 'asc' ? 1 : -1;
	const compare = (a: R, b: R): number => {
		if (isMeasure(sort.key)) {
			const x = a.cells[sort.key].value;
			const y = b.cells[sort.key].value;
			if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
			return sign * (x - y);
		}
		return sign * byName.compare(a[sort.key] ?? '', b[sort.key] ?? '');
	};
	return [...rows].sort((a, b) => compare(a, b) || byName.compare(a.name, b.name));
}
