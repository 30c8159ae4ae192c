import type { Db } from '../db';
import { findRollupState } from './reports.queries';

// Reports answered since the last rebuild of the figures are kept, in the app server only,
// until the next one: every change a report counts leads to a rebuild (services call
// `reportFiguresChanged()` in rollups.ts), and the rebuild drops everything kept here
// (`figuresRebuilt`), so a kept answer is exactly as fresh as the rollup it was read from
// (figures for ranges of dates, counted from the records, are kept on the same terms, and the
// page says when they were counted). Another process's rebuild is noticed within
// VERSION_CHECK_MS: each answer is kept with the rebuild it was read from.

const VERSION_CHECK_MS = 10_000;
const KEPT_REPORTS = 200;
/** Whether answers are kept at all: only while this process rebuilds the figures (rollups.ts). */
let keeping = false;
let version: { checkedAt: number; refreshedAt: string | null } | undefined;
const kept = new Map<string, { version: string | null; value: unknown }>();

/** Starts keeping answers: the rollup schedule calls this when it starts rebuilding in this process. */
export function startKeeping(): void {
	keeping = true;
}

/** Stops keeping answers and forgets those kept. */
export function stopKeeping(): void {
	keeping = false;
	version = undefined;
	kept.clear();
}

/** The figures were rebuilt (at `refreshedAt`) in this process: every kept answer goes. */
export function figuresRebuilt(refreshedAt: string | null): void {
	kept.clear();
	version = { checkedAt: Date.now(), refreshedAt };
}

async function readRefreshedAt(db: Db): Promise<string | null> {
	return (await findRollupState(db))?.refreshed_at?.toISOString() ?? null;
}

/** When the figures were last rebuilt, as an ISO time (null: never). */
export async function figuresRefreshedAt(db: Db): Promise<string | null> {
	if (!keeping) return readRefreshedAt(db);
	if (!version || Date.now() - version.checkedAt > VERSION_CHECK_MS) {
		version = { checkedAt: Date.now(), refreshedAt: await readRefreshedAt(db) };
	}
	return version.refreshedAt;
}

function keep(key: string, value: { version: string | null; value: unknown }): void {
	kept.set(key, value);
	if (kept.size > KEPT_REPORTS) kept.delete(kept.keys().next().value!);
}

/** Keeping is on in the app server; REPORT_KEEP=off computes every time, as the benchmark does to time the work itself. */
function keepingNow(): boolean {
	return keeping && process.env.REPORT_KEEP !== 'off';
}

/**
 * A report's answer, computed once per rebuild of the figures. `key` must hold everything the
 * answer depends on besides the data: the selection, and who is asking where that changes it
 * (suppression, a school contact's own school). Only in the app server; elsewhere (tests,
 * command-line tools) every call computes.
 */
export async function keptReport<T>(db: Db, key: string, compute: () => Promise<T>): Promise<T> {
	if (!keepingNow()) return compute();
	const current = await figuresRefreshedAt(db);
	const hit = kept.get(key);
	if (hit && hit.version === current) {
		kept.delete(key);
		kept.set(key, hit);
		return hit.value as T;
	}
	const value = await compute();
	keep(key, { version: current, value });
	return value;
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
	if (!keepingNow()) return render();
	const current = await figuresRefreshedAt(db);
	const hit = kept.get(`page ${key}`) as { version: string | null; value: KeptPage } | undefined;
	if (hit && hit.version === current) {
		return new Response(hit.value.body.slice(0), { status: hit.value.status, headers: hit.value.headers });
	}
	const response = await render();
	if (response.status !== 200 || response.headers.has('set-cookie')) return response;
	const body = await response.arrayBuffer();
	const page: KeptPage = { status: response.status, headers: [...response.headers], body };
	keep(`page ${key}`, { version: current, value: page });
	return new Response(body.slice(0), { status: page.status, headers: page.headers });
}
