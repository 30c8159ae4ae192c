import type { Db } from '../db';
import { findRollupState } from './reports.queries';

// Reports answered since the figures last changed are kept, in the app server only, until they
// change again: every change a report counts recounts the rollup rows it touched (services call
// `reportFiguresChanged()` in rollups.ts), and each recount drops everything kept here, in every
// process at once. On PostgreSQL each recount sends NOTIFY report_figures when it commits, and
// each process LISTENs on a connection of its own (`followFigures`): while that connection is
// down nothing is kept, and what was kept went when it was lost. The embedded database has one
// process, which drops what it kept itself (`figuresChanged`). As a backstop, each answer is
// kept with the count it was read from, and with the failed rebuild since, if any, checked
// again within VERSION_CHECK_MS, so that pages warning of a failure are not served from before it.

const VERSION_CHECK_MS = 10_000;
const KEPT_REPORTS = 200;
/**
 * At most this much is kept, the least recently used going first: pages by their bodies'
 * bytes, answers by the length of their JSON (near enough for figures: numbers and short
 * strings). A county's by-school page is about 1.5 MB, so 200 of them would hold 300 MB, more
 * than the server's whole heap limit (`npm start`, deploy/systemd); 32 MB keeps twenty of the
 * largest and every ordinary one.
 */
export const KEPT_BYTES = 32 * 1024 * 1024;
/** Whether answers are kept at all: only while this process keeps the figures up to date (rollups.ts). */
let keeping = false;
/**
 * How this process hears of other processes' changes: 'alone' (the embedded database: there are
 * none), 'listening', or 'deaf' while the listening connection is down (nothing is kept then).
 */
let hearing: 'alone' | 'listening' | 'deaf' = 'alone';
/** Raised each time the figures change: an answer computed before is not kept after. */
let generation = 0;

/** When the figures were last counted, and whether the last try to count them again failed (ISO times). */
export interface FiguresState {
	refreshedAt: string | null;
	/** A failed rebuild since the last one that succeeded (null: none). */
	failedAt: string | null;
}

let version: { checkedAt: number; state: FiguresState; key: string } | undefined;
const kept = new Map<string, { version: string; generation: number; value: unknown; bytes: number }>();
let keptBytes = 0;

/** Starts keeping answers: the rollup schedule calls this when it starts rebuilding in this process. */
export function startKeeping(): void {
	keeping = true;
}

/** Stops keeping answers and forgets those kept. */
export function stopKeeping(): void {
	keeping = false;
	hearing = 'alone';
	forgetAll();
}

function forgetAll(): void {
	generation++;
	version = undefined;
	kept.clear();
	keptBytes = 0;
}

/** Report figures changed, in this process or another (a NOTIFY): every kept answer goes. */
export function figuresChanged(): void {
	forgetAll();
}

/**
 * Whether this process hears other processes' changes: `true` once its listening connection is
 * up (kept answers are dropped then, as changes may have been missed), `false` when it is lost.
 */
export function hearingOthers(listening: boolean): void {
	hearing = listening ? 'listening' : 'deaf';
	forgetAll();
}

/** A kept answer holds the state it was read in: a new count or a new failure makes it old. */
function known(state: FiguresState) {
	return { checkedAt: Date.now(), state, key: `${state.refreshedAt} ${state.failedAt}` };
}

/** The figures were rebuilt (at `refreshedAt`) in this process: every kept answer goes. */
export function figuresRebuilt(refreshedAt: string | null): void {
	forgetAll();
	version = known({ refreshedAt, failedAt: null });
}

/** A rebuild failed in this process: kept pages go, so the next ones carry the warning. */
export function figuresRebuildFailed(): void {
	forgetAll();
}

async function readState(db: Db): Promise<FiguresState> {
	const row = await findRollupState(db);
	const refreshedAt = row?.refreshed_at ?? null;
	const failedAt = row?.last_failed_at ?? null;
	// A failure that a later rebuild (perhaps in another process) has made good is over.
	const failing = failedAt !== null && (refreshedAt === null || failedAt.getTime() > refreshedAt.getTime());
	return { refreshedAt: refreshedAt?.toISOString() ?? null, failedAt: failing ? failedAt.toISOString() : null };
}

async function current(db: Db): Promise<NonNullable<typeof version>> {
	if (!keeping) return known(await readState(db));
	if (!version || Date.now() - version.checkedAt > VERSION_CHECK_MS) version = known(await readState(db));
	return version;
}

/** When the figures were last counted, and a failed try to count them again since (noticed within VERSION_CHECK_MS from another process). */
export async function figuresState(db: Db): Promise<FiguresState> {
	return (await current(db)).state;
}

/** When the figures were last rebuilt, as an ISO time (null: never). */
export async function figuresRefreshedAt(db: Db): Promise<string | null> {
	return (await figuresState(db)).refreshedAt;
}

function forget(key: string): void {
	keptBytes -= kept.get(key)?.bytes ?? 0;
	kept.delete(key);
}

function keep(key: string, value: { version: string; generation: number; value: unknown; bytes: number }): void {
	// Computed while the figures changed: it may hold the figures from before.
	if (value.generation !== generation) return;
	forget(key);
	// Larger than everything else together: sent, not kept.
	if (value.bytes > KEPT_BYTES) return;
	kept.set(key, value);
	keptBytes += value.bytes;
	while (kept.size > KEPT_REPORTS || keptBytes > KEPT_BYTES) forget(kept.keys().next().value!);
}

function answerBytes(value: unknown): number {
	try {
		return JSON.stringify(value)?.length ?? 0;
	} catch {
		// Not JSON (a cycle, a bigint): too odd to keep.
		return Infinity;
	}
}

/** Keeping is on in the app server; REPORT_KEEP=off computes every time, as the benchmark does to time the work itself. */
function keepingNow(): boolean {
	return followingFigures() && process.env.REPORT_KEEP !== 'off';
}

/**
 * Whether this process hears of every change of the figures (its own, and on PostgreSQL the
 * other processes'), so that what was worked out from them may be shared until the next one:
 * the suppression decisions (decided.ts) are, whatever REPORT_KEEP says.
 */
export function followingFigures(): boolean {
	return keeping && hearing !== 'deaf';
}

/** Raised each time the figures change (or may have changed unheard): what was worked out at another generation is old. */
export function figuresGeneration(): number {
	return generation;
}

/** The state the figures were last read in, as a key: a new count or a new failure gives a new key (checked within VERSION_CHECK_MS). */
export async function figuresVersion(db: Db): Promise<string> {
	return (await current(db)).key;
}

/**
 * A report's answer, computed once per change of the figures. `key` must hold everything the
 * answer depends on besides the data: the selection, and who is asking where that changes it
 * (suppression, a school contact's own school). Only in the app server; elsewhere (tests,
 * command-line tools) every call computes.
 */
export async function keptReport<T>(db: Db, key: string, compute: () => Promise<T>): Promise<T> {
	return keepingNow() ? keptAnswer(db, key, compute) : compute();
}

/**
 * What the reports' filters offer (the programmes and schools that name their rows), read once
 * per change of the figures like the suppression decisions (decided.ts), whatever REPORT_KEEP
 * says: a programme or school added, renamed or closed is a change of the figures, heard in
 * every process (programmes.service.ts, schools.service.ts). Computed reports still read their
 * figures on every request; only this reference data is shared.
 */
export async function keptChoices<T>(db: Db, key: string, compute: () => Promise<T>): Promise<T> {
	return followingFigures() ? keptAnswer(db, key, compute) : compute();
}

async function keptAnswer<T>(db: Db, key: string, compute: () => Promise<T>): Promise<T> {
	const asked = generation;
	const { key: now } = await current(db);
	const hit = kept.get(key);
	if (hit && hit.version === now) {
		kept.delete(key);
		kept.set(key, hit);
		return hit.value as T;
	}
	const value = await compute();
	keep(key, { version: now, generation: asked, value, bytes: answerBytes(value) });
	return value;
}

/** A report page as it was sent, kept for the same reader until the figures change. */
interface KeptPage {
	status: number;
	headers: [string, string][];
	body: ArrayBuffer;
}

/**
 * Serves a report page from the kept copy for this reader (`key` holds who is asking and the
 * address), or renders it and keeps it while the figures stay as they are. Only successful
 * pages are kept: a refusal is answered, and audited, every time. Only in the app server.
 */
export async function keptPage(db: Db, key: string, render: () => Promise<Response>): Promise<Response> {
	if (!keepingNow()) return render();
	const asked = generation;
	const { key: now } = await current(db);
	const hit = kept.get(`page ${key}`) as { version: string; value: KeptPage } | undefined;
	if (hit && hit.version === now) {
		return new Response(hit.value.body.slice(0), { status: hit.value.status, headers: hit.value.headers });
	}
	const response = await render();
	if (response.status !== 200 || response.headers.has('set-cookie')) return response;
	const body = await response.arrayBuffer();
	const page: KeptPage = { status: response.status, headers: [...response.headers], body };
	keep(`page ${key}`, { version: now, generation: asked, value: page, bytes: body.byteLength });
	return new Response(body.slice(0), { status: page.status, headers: page.headers });
}
