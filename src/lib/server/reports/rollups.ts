import type { Db } from '../db';
import { figuresRebuildFailed, figuresRebuilt, startKeeping, stopKeeping } from './kept';
import { clearRollupFailure, findRollupState, rebuildRollups, updateRollupFailure } from './reports.queries';

// Keeping the reports' rollup (migration 20261127T1900) up to date: rebuilt as a whole, in
// one transaction, on a schedule and a little after each change that reports count, so a
// burst of register saves costs one rebuild. Every report shows when it was last rebuilt.
// Each rebuild drops the reports kept since the last one (kept.ts). A rebuild that fails is
// tried again with backoff, and recorded (migration 20261202T1100) so that every process's
// report pages warn that the figures are older than they should be until one succeeds.

export interface RollupState {
	refreshedAt: Date | null;
	tookMs: number | null;
	/** The last failed rebuild, if none has succeeded since. */
	failedAt: Date | null;
	failure: string | null;
}

/**
 * Rebuilds the figures (`rebuild` stands in for the database's own rebuild in tests), then clears
 * a recorded failure. Not in one transaction: a failure left behind by a process that stopped in
 * between is older than the rebuild, and older failures are not shown (kept.ts).
 */
export async function refreshRollups(db: Db, rebuild: (db: Db) => Promise<void> = rebuildRollups): Promise<RollupState> {
	await rebuild(db);
	await clearRollupFailure(db);
	const state = await rollupState(db);
	figuresRebuilt(state.refreshedAt?.toISOString() ?? null);
	return state;
}

export async function rollupState(db: Db): Promise<RollupState> {
	const row = await findRollupState(db);
	return {
		refreshedAt: row?.refreshed_at ?? null,
		tookMs: row?.took_ms ?? null,
		failedAt: row?.last_failed_at ?? null,
		failure: row?.last_error ?? null
	};
}

/**
 * What a failed rebuild is recorded and logged as: the database's error code and its message,
 * with anything quoted in it left out (PostgreSQL quotes the values it could not use, and a
 * value could be someone's name), on one line of at most 200 characters.
 */
export function failureMessage(error: unknown): string {
	const code = (error as { code?: unknown } | null)?.code;
	const message = (error instanceof Error ? error.message : String(error))
		.split('\n', 1)[0]!
		.replace(/"[^"]*"|'[^']*'/g, '"…"')
		.slice(0, 200);
	return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? `${code}: ${message}` : message;
}

/** The delay after a change before the rebuild, so that changes close together share one. */
export const CHANGE_DELAY_MS = 5_000;
/** The schedule: also catches sessions that have started since (they become "delivered"). */
export const SCHEDULE_MS = Number(process.env.REPORT_REFRESH_MINUTES || 15) * 60_000;
/** The wait before trying a failed rebuild again; it doubles with each failure in a row. */
export const FIRST_RETRY_MS = 5_000;

/** How long to wait after `failures` failed rebuilds in a row: 5 s, 10 s, 20 s... never longer than the schedule. */
export function retryDelay(failures: number, firstRetryMs = FIRST_RETRY_MS): number {
	return Math.min(firstRetryMs * 2 ** Math.max(0, failures - 1), SCHEDULE_MS);
}

/**
 * A rebuild after changes waits at least this many times the last rebuild's length since it
 * ended, so a large database (a 40-second rebuild at county scale) is not rebuilt back to back.
 */
const SPACING = 4;
let lastEnded = 0;
let lastTook = 0;
/** Failed rebuilds in a row, the wait before the next try, and when it is due (no rebuild after changes before then). */
let failures = 0;
let retryWait = 0;
let retryAt = 0;
let pending: ReturnType<typeof setTimeout> | undefined;
let running: Promise<unknown> | undefined;
let scheduled: ReturnType<typeof setInterval> | undefined;
/** The app's database at the moment of the rebuild (the embedded one is reopened after it is created). */
let database: (() => Db) | undefined;
let options: Required<ScheduleOptions> = { firstRetryMs: FIRST_RETRY_MS, rebuild: rebuildRollups };

function rebuildSoon(delay: number) {
	if (!database || pending) return;
	pending = setTimeout(() => {
		pending = undefined;
		if (!database) return;
		const db = database();
		running = (running ?? Promise.resolve()).then(() => rebuild(db));
	}, delay);
	pending.unref?.();
}

async function rebuild(db: Db): Promise<void> {
	const started = Date.now();
	try {
		await refreshRollups(db, options.rebuild);
		lastEnded = Date.now();
		lastTook = lastEnded - started;
		failures = retryWait = retryAt = 0;
	} catch (error) {
		const message = failureMessage(error);
		const wait = (retryWait = retryDelay(++failures, options.firstRetryMs));
		retryAt = Date.now() + wait;
		console.error(`The report figures could not be rebuilt (${message}); trying again in ${Math.round(wait / 1000)} s.`);
		try {
			await updateRollupFailure(db, message);
			figuresRebuildFailed();
		} catch (recording) {
			console.error(`The failed rebuild could not be recorded: ${failureMessage(recording)}`);
		}
		// The retry replaces a rebuild asked for meanwhile: changes wait for the backoff too.
		if (pending) clearTimeout(pending);
		pending = undefined;
		rebuildSoon(wait);
	}
}

export interface ScheduleOptions {
	/** The first wait before a failed rebuild is tried again (FIRST_RETRY_MS). */
	firstRetryMs?: number;
	/** The rebuild itself: tests put a failing one in its place. */
	rebuild?: (db: Db) => Promise<void>;
}

/**
 * Starts the schedule, with a rebuild now (sessions may have started since the last one), and
 * keeps reports between rebuilds: this process now rebuilds the figures after every change.
 */
export function startRollupSchedule(db: () => Db, scheduleOptions: ScheduleOptions = {}): void {
	database = db;
	options = { firstRetryMs: FIRST_RETRY_MS, rebuild: rebuildRollups, ...scheduleOptions };
	startKeeping();
	scheduled = setInterval(() => rebuildSoon(0), SCHEDULE_MS);
	scheduled.unref?.();
	rebuildSoon(0);
}

export async function stopRollupSchedule(): Promise<void> {
	if (scheduled) clearInterval(scheduled);
	if (pending) clearTimeout(pending);
	scheduled = pending = undefined;
	database = undefined;
	stopKeeping();
	await running;
	failures = retryWait = retryAt = 0;
}

/** Failed rebuilds in a row in this process (0 once one succeeds), and the wait before the next try. */
export function rebuildRetries(): { failures: number; waitMs: number } {
	return { failures, waitMs: retryWait };
}

/**
 * Services call this once after a change that reports count (marks, headcounts, bookings,
 * meetings, awards...), after its transaction commits: the figures are rebuilt a few seconds
 * later, once for a burst of changes, and the reports kept until then are dropped. After a
 * failed rebuild, not before the retry is due.
 */
export function reportFiguresChanged(): void {
	const now = Date.now();
	rebuildSoon(Math.max(CHANGE_DELAY_MS, lastEnded + SPACING * lastTook - now, retryAt - now));
}
