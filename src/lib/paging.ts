// The words above a paged list: "Showing 101 to 200 of 5,056 young people", or "12 young people"
// when one page holds them all.

export function showing(paging: { total: number; from: number; to: number; pageCount: number }, one: string, many = `${one}s`): string {
	const count = (n: number) => n.toLocaleString('en-GB');
	const all = `${count(paging.total)} ${paging.total === 1 ? one : many}`;
	return paging.pageCount > 1 ? `Showing ${count(paging.from)} to ${count(paging.to)} of ${all}` : all;
}
