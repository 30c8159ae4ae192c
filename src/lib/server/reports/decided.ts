import type { Db } from '../db';
import { log } from '../log';
import type { Cell } from './disclosure';
import { figuresGeneration, figuresVersion, followingFigures } from './kept';

// The suppression decisions (linked-figures.ts: which cells every suppressed reader sees hidden)
// are made once per change of the figures and shared by every request until the next one, even
// with kept reports switched off (REPORT_KEEP=off): a county's decision is 600 schools by 11
// counts by 5 periods, and making it on each request cost most of a computed report's time.
// Only the decision is shared; each request is still authorised, audited, and builds its own
// table and file from the figures it reads.
//
// A decision is held with the figures' generation (kept.ts: raised after each recount in this
// process and on each NOTIFY from another) and the state it was read in, like a kept report:
// one made while the figures changed is used by the request that asked for it, never kept,
// and requests asking while one is being made share it. Only while this process hears every
// change (the app server; not tests or command-line tools unless they start the schedule).
// A district's financial year is also held by what it was decided from (`decidedFrom`), across
// changes: an academic year decided again after a change decides again only the year it touched.
// After a change the district's decisions asked for lately are made again at once
// (`warmDecisions`), so the first request after a change does not wait for them.

/** At most this many decisions are held, the least recently used going first. */
const DECISIONS = 32;
/**
 * And at most this many bytes, as `decisionBytes` estimates them: a county's financial year is
 * about 34,000 named cells, 11 MB; the server's heap limit is 192 MB (`npm start`), and kept
 * reports hold up to 32 MB beside these.
 */
export const DECIDED_BYTES = 48 * 1024 * 1024;
/** The district's decisions made again after each change: the periods asked for most lately. */
const WARMED = 6;
/**
 * Measured in V8 (Node 20): a Map entry with its Cell and a name of n one-byte characters
 * holds about n + 255 bytes of heap.
 */
const ENTRY_BYTES = 256;

interface Decision {
	version: string;
	cells: ReadonlyMap<string, Cell>;
	bytes: number;
}

/** The generation the decisions below were made at: they all go when it moves on. */
let heldAt = -1;
const held = new Map<string, Decision>();
let heldBytes = 0;
/** Decisions being made, shared by requests that ask meanwhile. */
const deciding = new Map<string, { version: string; cells: Promise<ReadonlyMap<string, Cell>> }>();
/** How to make the district's decisions asked for lately again, by key, the most recent last. */
const warmers = new Map<string, (db: Db) => Promise<unknown>>();
let warming: Promise<void> | undefined;
/** A change came since the decisions being made again were started: they are made again once more. */
let again = false;

/** At most this many years' decisions are held by what they were decided from (`decidedFrom`): two academic years side by side read three, and one more. A county's year is about 11 MB, mostly the same maps as the decisions held above. */
const YEARS_BY_INPUTS = 4;

/** What a decision is made from, all of it: the same inputs make the same decision. */
export interface DecisionInputs {
	/** The rows' names, in order. */
	names: string;
	/** Every count read, in an order fixed by `names`. */
	counts: number[];
}

/** Decisions by what they were made from, the least recently used first: not dropped by a change, since each is checked against what was read. */
const byInputs = new Map<string, DecisionInputs & { cells: ReadonlyMap<string, Cell> }>();

const sameInputs = (a: DecisionInputs, b: DecisionInputs) =>
	a.names === b.names && a.counts.length === b.counts.length && a.counts.every((n, i) => n === b.counts[i]);

/**
 * The decision `key` names, made by `decide` unless one was made from inputs equal to these. A
 * change of the figures touches one year: a district's academic year is decided after the two
 * financial years it overlaps, and the one the change left alone is not decided again (nor a
 * year already decided for its own page since the change). Checked by value against what this
 * request read, in the same statement as the rest of its family, so a decision made from older
 * figures is never used. Only where decisions are shared at all (`decidedOnce`).
 */
export function decidedFrom(key: string, inputs: DecisionInputs, decide: () => ReadonlyMap<string, Cell>): ReadonlyMap<string, Cell> {
	if (!followingFigures()) return decide();
	const hit = byInputs.get(key);
	byInputs.delete(key);
	if (hit && sameInputs(hit, inputs)) {
		byInputs.set(key, hit);
		return hit.cells;
	}
	const cells = decide();
	byInputs.set(key, { ...inputs, cells });
	while (byInputs.size > YEARS_BY_INPUTS) byInputs.delete(byInputs.keys().next().value!);
	return cells;
}

/** The current generation, with everything decided at an older one dropped. */
function generationNow(): number {
	const generation = figuresGeneration();
	if (generation !== heldAt) {
		heldAt = generation;
		held.clear();
		deciding.clear();
		heldBytes = 0;
	}
	return generation;
}

export function decisionBytes(cells: ReadonlyMap<string, Cell>): number {
	let bytes = 0;
	for (const name of cells.keys()) bytes += name.length + ENTRY_BYTES;
	return bytes;
}

function forget(key: string): void {
	heldBytes -= held.get(key)?.bytes ?? 0;
	held.delete(key);
}

function hold(key: string, decision: Decision): void {
	forget(key);
	// Larger than everything else together: used, not held.
	if (decision.bytes > DECIDED_BYTES) return;
	held.set(key, decision);
	heldBytes += decision.bytes;
	while (held.size > DECISIONS || heldBytes > DECIDED_BYTES) forget(held.keys().next().value!);
}

/**
 * The decision `key` names (everything it depends on besides the figures: the threshold, the
 * period, the school), made by `decide` once per change of the figures. `warm`, for the
 * district's decisions, makes it again after a change.
 */
export async function decidedOnce(
	db: Db,
	key: string,
	decide: () => Promise<ReadonlyMap<string, Cell>>,
	warm?: (db: Db) => Promise<unknown>
): Promise<ReadonlyMap<string, Cell>> {
	if (!followingFigures()) return decide();
	const asked = generationNow();
	if (warm) {
		warmers.delete(key);
		warmers.set(key, warm);
		if (warmers.size > WARMED) warmers.delete(warmers.keys().next().value!);
	}
	const version = await figuresVersion(db);
	// Changed while the state was read: this request decides for itself.
	if (generationNow() !== asked) return decide();
	const hit = held.get(key);
	if (hit && hit.version === version) {
		held.delete(key);
		held.set(key, hit);
		return hit.cells;
	}
	const underWay = deciding.get(key);
	if (underWay && underWay.version === version) return underWay.cells;
	const cells = decide();
	deciding.set(key, { version, cells });
	try {
		const decided = await cells;
		// Made from figures that have changed since: for this request only.
		if (generationNow() === asked) hold(key, { version, cells: decided, bytes: decisionBytes(decided) });
		return decided;
	} finally {
		if (deciding.get(key)?.cells === cells) deciding.delete(key);
	}
}

/**
 * Makes the district's decisions asked for lately again, in the background, after the figures
 * changed (rollups.ts calls it on each change it hears of). A change during the work starts it
 * over for the new figures; a failure is logged and left to the next request.
 */
export function warmDecisions(db: Db | undefined): void {
	if (!db || warmers.size === 0 || !followingFigures()) return;
	again = true;
	warming ??= (async () => {
		while (again && followingFigures()) {
			again = false;
			const generation = figuresGeneration();
			// The most recently asked for first.
			for (const warm of [...warmers.values()].reverse()) {
				if (again || generation !== figuresGeneration()) break;
				try {
					await warm(db);
				} catch (error) {
					log.warn({ sqlstate: (error as { code?: string } | undefined)?.code }, 'A suppression decision could not be made again after a change');
				}
			}
		}
	})().finally(() => {
		warming = undefined;
		if (again) warmDecisions(db);
	});
}

/** Waits for the decisions being made again after a change (tests). */
export async function decisionsWarmed(): Promise<void> {
	while (warming) await warming;
}

/** What is held, for tests and the benchmark. */
export function heldDecisions(): { count: number; bytes: number } {
	generationNow();
	return { count: held.size, bytes: heldBytes };
}

/** Drops every decision and what would be made again (the schedule stopping). */
export function forgetDecisions(): void {
	held.clear();
	byInputs.clear();
	deciding.clear();
	warmers.clear();
	heldBytes = 0;
	again = false;
}
