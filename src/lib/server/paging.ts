// One page of a list that can grow: the page asked for in the address, read so that no text
// ("abc"), zero or huge number ("99999999999999999999") can fail the request, and clamped to
// the last page once the list's count is known. Lists that count show "Showing 101 to 200 of
// 5,056" and numbered links (src/lib/components/Pagination.svelte).

export const PAGE_SIZE = 100;
/** No list has a million pages: beyond this a page number is only a way to ask for a huge offset. */
export const MAX_PAGE = 1_000_000;

/** The page number the address asks for: a whole number from 1 to MAX_PAGE, 1 when it is not one. */
export function pageFromParam(text: string | null | undefined): number {
	const value = (text ?? '').trim();
	if (!/^\d{1,16}$/.test(value)) return /^\d+$/.test(value) ? MAX_PAGE : 1;
	return Math.min(MAX_PAGE, Math.max(1, Number(value)));
}

export interface Paging {
	/** The page shown, from 1 to pageCount. */
	page: number;
	pageCount: number;
	total: number;
	/** The first and last row shown, counting from 1 (0 and 0 for an empty list). */
	from: number;
	to: number;
	limit: number;
	offset: number;
}

/** The page to show of `total` rows: the one asked for, or the last page when it is past the end. */
export function pageOf(requested: number, total: number, size = PAGE_SIZE): Paging {
	const pageCount = Math.max(1, Math.ceil(total / size));
	const page = Math.min(Math.max(1, Math.floor(requested) || 1), pageCount);
	const offset = (page - 1) * size;
	return { page, pageCount, total, from: total === 0 ? 0 : offset + 1, to: Math.min(total, offset + size), limit: size, offset };
}

/** What a page needs to draw its pagination, without the query's limit and offset. */
export function pagingForPage({ page, pageCount, total, from, to }: Paging) {
	return { page, pageCount, total, from, to };
}
