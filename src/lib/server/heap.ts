import { setFlagsFromString } from 'node:v8';

/**
 * How far the JavaScript heap may grow past what a full collection left before the next one, in
 * percent: to three times. V8 scales this with the heap's limit, and under the 192 MB of
 * `npm start` (README, "Memory") it allows about 1.35 times, so the 600-school by-school page,
 * which allocates about 5.5 MB a request, paid a full collection (about 20 ms) every 4 or 5
 * requests. Measured on a 2-core machine at county scale (issue 15): full collections over 129
 * requests in a row fell from 30 to 6, and under 10 clients the page answered 52-54 requests a
 * second instead of 42-43, for a peak RSS of 231 MB instead of 176 (the overview's: 208
 * instead of 145).
 */
export const HEAP_GROWING_PERCENT = 200;

/**
 * Lets the heap grow by HEAP_GROWING_PERCENT between full collections. On PostgreSQL only: the
 * embedded database's process already rests near 250 MB (PGlite's memory), and with it its peak
 * on the largest export went from 294 to 351 MB. V8 reads the setting each time it sets the next
 * limit, so it takes effect from the next collection.
 */
export function letHeapGrow(): void {
	setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
