// A process that allocates as a busy server does: a heap that stays, and a stream of short-lived
// objects, some of them still in use when a collection comes. With `grow`, it first lets its heap
// grow as the app does on PostgreSQL (src/lib/server/heap.ts). Run with --trace-gc: each full
// collection prints a line.
import { letHeapGrow } from '../../src/lib/server/heap';

if (process.argv.includes('grow')) letHeapGrow();
const kept = Array.from({ length: 200_000 }, (_, i) => ({ i, s: `x${i}` }));
const recent: unknown[][] = [];
for (let round = 0; round < 400; round++) {
	recent.push(Array.from({ length: 20_000 }, (_, i) => ({ round, i, t: `y${i}` })));
	if (recent.length > 3) recent.shift();
}
console.log(`kept ${kept.length}`);
