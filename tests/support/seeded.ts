// Seeded "random" numbers for property tests, so a failing case can be run again from its seed.

/** mulberry32: a small seeded generator of numbers from 0 up to 1. */
export function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let x = Math.imul(a ^ (a >>> 15), 1 | a);
		x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
		return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
	};
}

/** Whole numbers below `n`, and picks from a list, from one seed: enough to choose changes. */
export function generator(seed: number) {
	const next = mulberry32(seed);
	return {
		int: (n: number) => Math.floor(next() * n),
		pick<T>(items: readonly T[]): T {
			return items[Math.floor(next() * items.length)]!;
		}
	};
}
