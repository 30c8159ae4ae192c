import { sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../../src/lib/server/db';
import { withTransaction } from '../../../src/lib/server/db/transaction';
import { figuresRebuildFailed, figuresState, keptPage, startKeeping } from '../../../src/lib/server/reports/kept';
import { rebuildRollups, updateRollupFailure } from '../../../src/lib/server/reports/reports.queries';
import {
	failureMessage,
	rebuildRetries,
	refreshRollups,
	retryDelay,
	rollupState,
	SCHEDULE_MS,
	startRollupSchedule,
	stopRollupSchedule
} from '../../../src/lib/server/reports/rollups';
import { useTestDatabase } from '../../support/database';

const t = useTestDatabase();

afterEach(async () => {
	vi.useRealTimers();
	await stopRollupSchedule();
});

/** A rebuild that fails in the database, as the real one would, while `broken` says so; it notes the wait before each try. */
function faultyRebuild() {
	const fault = { broken: true, waits: [] as number[] };
	const rebuild = async (db: Db) => {
		fault.waits.push(rebuildRetries().waitMs);
		// In a savepoint, as the database's own rebuild is a statement of its own: on PostgreSQL an error
		// would otherwise end the test's transaction.
		if (fault.broken) await withTransaction(db, (trx) => sql`select rebuild_report_rollups_gone()`.execute(trx));
		else await rebuildRollups(db);
	};
	return { fault, rebuild };
}

/** Waits until the clock has moved on by at least two milliseconds, so the next time written is a later one when read back as a Date. */
async function nextMillisecond(): Promise<void> {
	const from = Date.now();
	await vi.waitFor(() => expect(Date.now()).toBeGreaterThan(from + 1), { interval: 1 });
}

describe('a failed rebuild of the report figures', () => {
	it('is tried again after 5, 10, 20 seconds and so on, never waiting longer than the schedule', () => {
		expect([1, 2, 3, 4].map((failures) => retryDelay(failures))).toEqual([5_000, 10_000, 20_000, 40_000]);
		expect(retryDelay(30)).toBe(SCHEDULE_MS);
	});

	it('is tried again with backoff and recorded for every report page, until a rebuild succeeds and clears it', async () => {
		const before = await refreshRollups(t.db);
		const { fault, rebuild } = faultyRebuild();
		startRollupSchedule(() => t.db, { firstRetryMs: 10, rebuild });

		await vi.waitFor(() => expect(rebuildRetries().failures).toBeGreaterThanOrEqual(4), { timeout: 15_000, interval: 20 });
		// The first try comes at once; each retry waited twice as long as the one before.
		expect(fault.waits.slice(0, 4)).toEqual([0, 10, 20, 40]);
		const failed = await rollupState(t.db);
		expect(failed.failedAt).not.toBeNull();
		expect(failed.failure).toMatch(/^42883: function rebuild_report_rollups_gone\(\) does not exist/);
		expect(failed.refreshedAt).toEqual(before.refreshedAt);
		expect(await figuresState(t.db)).toEqual({ refreshedAt: before.refreshedAt!.toISOString(), failedAt: failed.failedAt!.toISOString() });

		fault.broken = false;
		await vi.waitFor(() => expect(rebuildRetries().failures).toBe(0), { timeout: 15_000, interval: 20 });
		const mended = await rollupState(t.db);
		expect(mended).toMatchObject({ failedAt: null, failure: null });
		expect(mended.refreshedAt!.getTime()).toBeGreaterThan(before.refreshedAt!.getTime());
		expect(await figuresState(t.db)).toEqual({ refreshedAt: mended.refreshedAt!.toISOString(), failedAt: null });
	});

	it('is no longer shown once another process has rebuilt the figures since', async () => {
		await sql`update report_rollup_state set last_failed_at = refreshed_at - interval '1 minute', last_error = 'old'`.execute(t.db);
		expect((await figuresState(t.db)).failedAt).toBeNull();
	});

	it('makes report pages kept from before it go, here and in other processes, so the next page carries the warning', async () => {
		await refreshRollups(t.db);
		startKeeping();
		let renders = 0;
		const page = async () => (await keptPage(t.db, 'reader /reports', async () => new Response(`page ${++renders}`))).text();
		expect(await page()).toBe('page 1');
		expect(await page()).toBe('page 1');
		// Failed here: this process drops what it kept at once.
		await updateRollupFailure(t.db, 'failed here');
		figuresRebuildFailed();
		expect(await page()).toBe('page 2');
		expect(await page()).toBe('page 2');
		// Failed in another process: noticed when the figures' state is next read, within 10 seconds.
		// Its time is read to the millisecond, so it is written at least one after the failure here:
		// otherwise the two could be the same state, and the kept page right to stay.
		await nextMillisecond();
		await updateRollupFailure(t.db, 'failed elsewhere');
		vi.useFakeTimers({ toFake: ['Date'] });
		vi.setSystemTime(Date.now() + 11_000);
		expect(await page()).toBe('page 3');
		vi.useRealTimers();
		await refreshRollups(t.db);
		expect(await page()).toBe('page 4');
	});

	it('is recorded without the values the database quotes, which could be personal', () => {
		const error = Object.assign(new Error('invalid input syntax for type integer: "Jamie Smith"\nmore detail'), { code: '22P02' });
		expect(failureMessage(error)).toBe('22P02: invalid input syntax for type integer: "…"');
		expect(failureMessage(new Error('x'.repeat(500))).length).toBe(200);
	});
});
