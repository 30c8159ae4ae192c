import type { Db } from '../db';
import type { AppDatabase } from '../db/database';
import type { Listening } from '../db/listen';
import { decisionsWarmed, forgetDecisions, warmDecisions } from './decided';
import { figuresChanged, figuresRebuildFailed, figuresRebuilt, hearingOthers, startKeeping, stopKeeping } from './kept';
import {
	clearRollupFailure,
	findRollupState,
	listSessionsStartedBetween,
	notifyFiguresChanged,
	rebuildRollups,
	recountRollups,
	updateRollupFailure,
	type RollupScope
} from './reports.queries';

// Keeping the reports' rollup (migrations 20261127T1900, 20261205T0300) up to date. Each change
// that reports count is followed, right after its commit, by a recount of only the rollup rows
// it touched (its scope: sessions, young people or schools, and days), so the cost follows the
// change and not the history; changes that come while a recount runs share the next one. Each
// recount tells every process (NOTIFY report_figures, heard by `followFigures`), which drop the
// reports they kept (kept.ts). The whole rollup is rebuilt when a process starts, when a change's
// scope is not known, and by hand (`npm run figures:rebuild`), the repair tool. A failed recount
// or rebuild is tried again as a rebuild with backoff, and recorded (migration 20261202T1100) so
// that every process's report pages warn that the figures are older than they should be until
// one succeeds. On a schedule, sessions that have started since are counted as delivered.

/**
 * What a change touched, for the recount. An empty scope (`{}`) changes no counted figure (a
 * name, a question) but still drops kept reports; no scope at all rebuilds the whole rollup.
 */
export interface FiguresScope {
	/**
	 * Sessions whose bookings, registers, headcounts or station counts changed; `itself` when the
	 * session itself changed (made, cancelled, completed, started), `formerDay` when it moved.
	 */
	sessions?: (string | { id: string; itself: true } | { id: string; formerDay: string })[];
	/** Young people whose figures on a day changed outside a register: a mentoring meeting (the mentee), an award. */
	youngPeople?: { id: string; day: string }[];
	/** Schools whose figures on a day changed. */
	schools?: { id: string; day: string }[];
	/** Schools given another phase: counted again in every period they were reached in, under the new phase. */
	rephased?: string[];
}

/** The scope as the database reads it, or null when it touches no counted figure. */
export function rollupScope(scope: FiguresScope): RollupScope | null {
	const sessions = (scope.sessions ?? []).map((s) =>
		typeof s === 'string' ? { id: s, day: null, itself: false } : { id: s.id, day: 'formerDay' in s ? s.formerDay : null, itself: true }
	);
	const people = scope.youngPeople ?? [];
	const schools = scope.schools ?? [];
	const rephased = scope.rephased ?? [];
	return sessions.length + people.length + schools.length + rephased.length === 0 ? null : { sessions, people, schools, rephased };
}

function mergeScopes(a: RollupScope | null, b: RollupScope | null): RollupScope | null {
	if (!a || !b) return a ?? b;
	return {
		sessions: [...a.sessions, ...b.sessions],
		people: [...a.people, ...b.people],
		schools: [...a.schools, ...b.schools],
		rephased: [...(a.rephased ?? []), ...(b.rephased ?? [])]
	};
}

/** Counts again the rollup rows `scope` touches, in one transaction, and drops this process's kept reports. */
export async function recountFigures(db: Db, scope: FiguresScope): Promise<void> {
	const rollup = rollupScope(scope);
	if (rollup) await recountRollups(db, rollup);
	else await notifyFiguresChanged(db);
	countedHere();
}

/**
 * After this process counted the figures again: what it kept goes, and where no notification
 * comes back (the embedded database) the district's suppression decisions are made again at
 * once; on PostgreSQL that waits for the notification, which every process hears.
 */
function countedHere(): void {
	figuresChanged();
	if (!listening) warmDecisions(database?.());
}

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
	if (!listening) warmDecisions(database?.());
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

/** The delay after a change of unknown scope before the rebuild, so that changes close together share one. */
export const CHANGE_DELAY_MS = 5_000;
/** The schedule: counts sessions that have started since as delivered. */
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
let options: Required<Omit<ScheduleOptions, 'listen'>> = { firstRetryMs: FIRST_RETRY_MS, rebuild: rebuildRollups };
/** Recounts asked for and not yet started (merged), and the one under way. */
let queued: RollupScope | null | undefined;
let recounting: Promise<void> | undefined;
/** Sessions starting from this moment on are not yet counted as delivered by the schedule. */
let deliveredUpTo = new Date();
let listening: Listening | undefined;

function recountSoon(scope: RollupScope | null): void {
	if (!database) return;
	queued = queued === undefined ? scope : mergeScopes(queued, scope);
	recounting ??= recountQueued().finally(() => (recounting = undefined));
}

async function recountQueued(): Promise<void> {
	while (queued !== undefined && database) {
		const scope = queued;
		queued = undefined;
		const db = database();
		try {
			// After a whole rebuild under way or failing, which counts this change too.
			await running;
			if (retryAt > Date.now()) continue;
			if (scope) await recountRollups(db, scope);
			else await notifyFiguresChanged(db);
			countedHere();
		} catch (error) {
			console.error(`The report figures could not be counted again after a change (${failureMessage(error)}); rebuilding them.`);
			rebuildSoon(0);
		}
	}
}

/** Waits for the recounts asked for so far (tests and the benchmark). */
export async function figuresCounted(): Promise<void> {
	while (recounting) await recounting;
}

/** Counts as delivered the sessions that have started since the last time. */
async function countStartedSessions(): Promise<void> {
	if (!database) return;
	const to = new Date();
	const sessions = await listSessionsStartedBetween(database(), deliveredUpTo, to);
	deliveredUpTo = to;
	if (sessions.length > 0) recountSoon(rollupScope({ sessions: sessions.map((id) => ({ id, itself: true })) }));
}

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
	/** Listening for other processes' changes (PostgreSQL); without it this process is the only one. */
	listen?: AppDatabase['listen'];
}

/** The channel every recount and rebuild notifies when it commits (migration 20261205T0300). */
export const FIGURES_CHANNEL = 'report_figures';

/**
 * Starts the schedule, with a rebuild now (a change may have been left uncounted by a process
 * that stopped), and keeps reports until the figures change: this process now counts the
 * figures again after every change, and hears the other processes' changes.
 */
export function startRollupSchedule(db: () => Db, scheduleOptions: ScheduleOptions = {}): void {
	const { listen, ...rest } = scheduleOptions;
	database = db;
	options = { firstRetryMs: FIRST_RETRY_MS, rebuild: rebuildRollups, ...rest };
	deliveredUpTo = new Date();
	startKeeping();
	if (listen) {
		// Nothing is kept until the listening connection is up.
		hearingOthers(false);
		listening = followFigures(listen);
	}
	scheduled = setInterval(() => {
		countStartedSessions().catch((error: unknown) => {
			console.error(`Sessions started since could not be counted (${failureMessage(error)}); rebuilding the figures.`);
			rebuildSoon(0);
		});
	}, SCHEDULE_MS);
	scheduled.unref?.();
	rebuildSoon(0);
}

/**
 * Drops the kept reports whenever any process changes the figures, and while it can't hear them;
 * after each change, and once hearing again, makes the district's suppression decisions again.
 */
export function followFigures(listen: NonNullable<AppDatabase['listen']>): Listening {
	return listen(FIGURES_CHANNEL, {
		notified: () => {
			figuresChanged();
			warmDecisions(database?.());
		},
		connected: () => {
			hearingOthers(true);
			warmDecisions(database?.());
		},
		lost: () => hearingOthers(false)
	});
}

export async function stopRollupSchedule(): Promise<void> {
	if (scheduled) clearInterval(scheduled);
	if (pending) clearTimeout(pending);
	scheduled = pending = undefined;
	database = undefined;
	queued = undefined;
	await listening?.stop();
	listening = undefined;
	stopKeeping();
	await running;
	await recounting;
	await decisionsWarmed();
	forgetDecisions();
	failures = retryWait = retryAt = 0;
}

/** Failed rebuilds in a row in this process (0 once one succeeds), and the wait before the next try. */
export function rebuildRetries(): { failures: number; waitMs: number } {
	return { failures, waitMs: retryWait };
}

/**
 * Services call this once after a change that reports count (marks, headcounts, bookings,
 * meetings, awards...), after its transaction commits, with what the change touched: the rollup
 * rows it touched are counted again at once (changes that come meanwhile share the next count),
 * and the reports kept in every process are dropped when it commits. Without a scope the whole
 * rollup is rebuilt a few seconds later, once for a burst of changes; after a failed rebuild,
 * not before the retry is due.
 */
export function reportFiguresChanged(scope?: FiguresScope): void {
	if (scope) return recountSoon(rollupScope(scope));
	const now = Date.now();
	rebuildSoon(Math.max(CHANGE_DELAY_MS, lastEnded + SPACING * lastTook - now, retryAt - now));
}
