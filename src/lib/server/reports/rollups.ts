import { sql } from 'kysely';
import type { Db } from '../db';

// Keeping the reports' rollup (migration 20261127T1900) up to date: rebuilt as a whole, in
// one transaction, on a schedule and a little after each change that reports count, so a
// burst of register saves costs one rebuild. Every report shows when it was last rebuilt.

export interface RollupState {
	refreshedAt: Date | null;
	tookMs: number | null;
}

export async function refreshRollups(db: Db): Promise<RollupState> {
	await sql`select rebuild_report_rollups()`.execute(db);
	const state = await rollupState(db);
	version = { checkedAt: Date.now(), refreshedAt: state.refreshedAt?.toISOString() ?? null };
	return state;
}

export async function rollupState(db: Db): Promise<RollupState> {
	const row = await db.selectFrom('report_rollup_state').select(['refreshed_at', 'took_ms']).executeTakeFirst();
	return { refreshedAt: row?.refreshed_at ?? null, tookMs: row?.took_ms ?? null };
}

// Reports answered since the last rebuild are kept, in the app server only, until the next
// one: every change a report counts leads to a rebuild, so a kept answer is exactly as fresh
// as the rollup it was read from (figures for ranges of dates, counted from the records, are
// kept on the same terms, and the page says when they were counted). Another process's
// rebuild is noticed within VERSION_CHECK_MS.

const VERSION_CHECK_MS = 10_000;
const KEPT_REPORTS = 200;
let version: { checkedAt: number; refreshedAt: string | null } | undefined;
const kept = new Map<string, { version: string | null; value: unknown }>();

/** When the figures were last rebuilt, as an ISO time (null: never). */
export async function figuresRefreshedAt(db: Db): Promise<string | null> {
	if (!database) return (await rollupState(db)).refreshedAt?.toISOString() ?? null;
	if (!version || Date.now() - version.checkedAt > VERSION_CHECK_MS) {
		version = { checkedAt: Date.now(), refreshedAt: (await rollupState(db)).refreshedAt?.toISOString() ?? null };
	}
	return version.refreshedAt;
}

/**
 * A report's answer, computed once per rebuild of the figures. `key` must hold everything the
 * answer depends on besides the data: the selection, and who is asking where that changes it
 * (suppression, a school contact's own school). Only in the app server; elsewhere (tests,
 * command-line tools) every call computes.
 */
export async function keptReport<T>(db: Db, key: string, compute: () => Promise<T>): Promise<T> {
	// REPORT_KEEP=off computes every time, as the benchmark does to time the work itself.
	if (!database || process.env.REPORT_KEEP === 'off') return compute();
	const current = await figuresRefreshedAt(db);
	const hit = kept.get(key);
	if (hit && hit.version === current) {
		kept.delete(key);
		kept.set(key, hit);
		return hit.value as T;
	}
	const value = await compute();
	kept.set(key, { version: current, value });
	if (kept.size > KEPT_REPORTS) kept.delete(kept.keys().next().value!);
	return value;
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

/** Starts the schedule, with a rebuild now (sessions may have started since the last one). */
export function startRollupSchedule(db: () => Db): void {
	database = db;
	scheduled = setInterval(() => rebuildSoon(0), SCHEDULE_MS);
	scheduled.unref?.();
	rebuildSoon(0);
}

export async function stopRollupSchedule(): Promise<void> {
	if (scheduled) clearInterval(scheduled);
	if (pending) clearTimeout(pending);
	scheduled = pending = undefined;
	database = undefined;
	version = undefined;
	kept.clear();
	await running;
}

/** Services call this after a change that reports count (marks, headcounts, bookings, meetings, awards). */
export function reportFiguresChanged(): void {
	rebuildSoon(Math.max(CHANGE_DELAY_MS, lastEnded + SPACING * lastTook - Date.now()));
}

/** A report page as it was sent, kept for the same reader until the figures are rebuilt. */
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
	if (!database || process.env.REPORT_KEEP === 'off') return render();
	const current = await figuresRefreshedAt(db);
	const hit = kept.get(`page ${key}`) as { version: string | null; value: KeptPage } | undefined;
	if (hit && hit.version === current) {
		return new Response(hit.value.body.slice(0), { status: hit.value.status, headers: hit.value.headers });
	}
	const response = await render();
	if (response.status !== 200 || response.headers.has('set-cookie')) return response;
	const body = await response.arrayBuffer();
	const page: KeptPage = { status: response.status, headers: [...response.headers], body };
	kept.set(`page ${key}`, { version: current, value: page });
	if (kept.size > KEPT_REPORTS) kept.delete(kept.keys().next().value!);
	return new Response(body.slice(0), { status: page.status, headers: page.headers });
}
