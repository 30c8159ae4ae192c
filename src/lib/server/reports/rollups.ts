import type { Db } from '../db';
import { figuresRebuilt, startKeeping, stopKeeping } from './kept';
import { findRollupState, rebuildRollups } from './reports.queries';

// Keeping the reports' rollup (migration 20261127T1900) up to date: rebuilt as a whole, in
// one transaction, on a schedule and a little after each change that reports count, so a
// burst of register saves costs one rebuild. Every report shows when it was last rebuilt.
// Each rebuild drops the reports kept since the last one (kept.ts).

export interface RollupState {
	refreshedAt: Date | null;
	tookMs: number | null;
}

export async function refreshRollups(db: Db): Promise<RollupState> {
	await rebuildRollups(db);
	const state = await rollupState(db);
	figuresRebuilt(state.refreshedAt?.toISOString() ?? null);
	return state;
}

export async function rollupState(db: Db): Promise<RollupState> {
	const row = await findRollupState(db);
	return { refreshedAt: row?.refreshed_at ?? null, tookMs: row?.took_ms ?? null };
}

/** The delay after a change before the rebuild, so that changes close together share one. */
export const CHANGE_DELAY_MS = 5_000;
/** The schedule: also catches sessions that have started since (they become "delivered"). */
export const SCHEDULE_MS = Number(process.env.REPORT_REFRESH_MINUTES || 15) * 60_000;

/**
 * A rebuild after changes waits at least this many times the last rebuild's length since it
 * ended, so a large database (a 40-second rebuild at county scale) is not rebuilt back to back.
 */
const SPACING = 4;
let lastEnded = 0;
let lastTook = 0;
let pending: ReturnType<typeof setTimeout> | undefined;
let running: Promise<unknown> | undefined;
let scheduled: ReturnType<typeof setInterval> | undefined;
/** The app's database at the moment of the rebuild (the embedded one is reopened after it is created). */
let database: (() => Db) | undefined;

function rebuildSoon(delay: number) {
	if (!database || pending) return;
	pending = setTimeout(() => {
		pending = undefined;
		if (!database) return;
		const db = database();
		running = (running ?? Promise.resolve())
			.then(async () => {
				const started = Date.now();
				await refreshRollups(db);
				lastEnded = Date.now();
				lastTook = lastEnded - started;
			})
			.catch((error: unknown) => console.error('The report figures could not be rebuilt:', error instanceof Error ? error.message : error));
	}, delay);
	pending.unref?.();
}

/**
 * Starts the schedule, with a rebuild now (sessions may have started since the last one), and
 * keeps reports between rebuilds: this process now rebuilds the figures after every change.
 */
export function startRollupSchedule(db: () => Db): void {
	database = db;
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
}

/**
 * Services call this once after a change that reports count (marks, headcounts, bookings,
 * meetings, awards...), after its transaction commits: the figures are rebuilt a few seconds
 * later, once for a burst of changes, and the reports kept until then are dropped.
 */
export function reportFiguresChanged(): void {
	rebuildSoon(Math.max(CHANGE_DELAY_MS, lastEnded + SPACING * lastTook - Date.now()));
}
