import type { Transaction } from 'kysely';
import { withTransaction, type Db } from '../db';
import type { DB } from '../db/schema';
import { londonParts } from '../time';
import { insertScheduledRun } from './scheduler.queries';

// The server's own timetable: work that repeats every few seconds (the outbox's sender), work
// done once a day at a UK hour (reminders), and schedules with timers of their own that start
// and stop with it (the report figures' rebuild). Daily work is claimed in the database, so with
// two app processes on one PostgreSQL it is done once, by whichever gets there first.

/** Runs every `everyMs`, never overlapping itself; each process runs its own (the work must claim its rows). */
export interface RepeatingJob {
	name: string;
	everyMs: number;
	run: (db: Db, now: Date) => Promise<unknown>;
}

/**
 * Runs once a UK day, the first time the scheduler looks at or after `hour` o'clock (so a server
 * started later that day catches up). `run` gets the transaction holding the day's claim: if
 * it fails, the claim is undone with its work and the job is tried again at the next look.
 */
export interface DailyJob {
	name: string;
	hour: number;
	run: (trx: Transaction<DB>, now: Date) => Promise<unknown>;
}

/** A schedule that keeps its own timers (the report figures'), started and stopped with the rest. */
export interface HeldSchedule {
	name: string;
	start: () => void;
	stop: () => Promise<void>;
}

/** How often daily jobs are looked at. */
export const DAILY_CHECK_MS = 60_000;

export class Scheduler {
	private readonly repeating: RepeatingJob[] = [];
	private readonly daily: DailyJob[] = [];
	private readonly held: HeldSchedule[] = [];
	/** The UK day each daily job was last done or found done, so the database is asked once a day. */
	private readonly doneFor = new Map<string, string>();
	private readonly running = new Map<string, Promise<void>>();
	private readonly timers = new Set<ReturnType<typeof setTimeout>>();
	private started = false;

	/**
	 * @param db the app's database at the moment of each run (the embedded one is reopened once after it is created)
	 * @param clock the time now; tests pass a fake one
	 */
	constructor(
		private readonly db: () => Db,
		private readonly clock: () => Date = () => new Date()
	) {}

	every(job: RepeatingJob): this {
		this.repeating.push(job);
		return this;
	}

	onceADay(job: DailyJob): this {
		if (!Number.isInteger(job.hour) || job.hour < 0 || job.hour > 23) throw new Error(`${job.name}: the hour must be 0 to 23, not ${job.hour}`);
		this.daily.push(job);
		return this;
	}

	hold(schedule: HeldSchedule): this {
		this.held.push(schedule);
		return this;
	}

	/** Runs a job unless its last run is still going; a failure is logged, and the next run tries again. */
	private runOnce(name: string, work: () => Promise<unknown>): Promise<void> {
		const going = this.running.get(name);
		if (going) return going;
		const run = work()
			.then(() => undefined)
			.catch((error: unknown) => console.error(`Scheduled job "${name}" failed: ${error instanceof Error ? error.message : String(error)}`))
			.finally(() => this.running.delete(name));
		this.running.set(name, run);
		return run;
	}

	private runDaily(job: DailyJob, now: Date): Promise<void> {
		const { date, time } = londonParts(now);
		if (Number(time.slice(0, 2)) < job.hour || this.doneFor.get(job.name) === date) return Promise.resolve();
		return this.runOnce(job.name, async () => {
			await withTransaction(this.db(), async (trx) => {
				if (await insertScheduledRun(trx, job.name, date)) await job.run(trx, now);
			});
			this.doneFor.set(job.name, date);
		});
	}

	/** Runs every repeating job, and each daily job that is due and not yet done today, once. */
	async runDue(): Promise<void> {
		const now = this.clock();
		await Promise.all([
			...this.repeating.map((job) => this.runOnce(job.name, () => job.run(this.db(), now))),
			...this.daily.map((job) => this.runDaily(job, now))
		]);
	}

	private repeat(everyMs: number, work: () => Promise<void>) {
		const next = () => {
			const timer = setTimeout(() => {
				this.timers.delete(timer);
				void work().finally(() => {
					if (this.started) next();
				});
			}, everyMs);
			timer.unref?.();
			this.timers.add(timer);
		};
		next();
	}

	/** Starts the held schedules and the timers; the first look at every job is at once. */
	start(): void {
		if (this.started) return;
		this.started = true;
		for (const schedule of this.held) schedule.start();
		void this.runDue();
		for (const job of this.repeating) this.repeat(job.everyMs, () => this.runOnce(job.name, () => job.run(this.db(), this.clock())));
		if (this.daily.length > 0) {
			this.repeat(DAILY_CHECK_MS, async () => {
				const now = this.clock();
				await Promise.all(this.daily.map((job) => this.runDaily(job, now)));
			});
		}
	}

	/** Stops the timers, waits for the work under way, then stops the held schedules. */
	async stop(): Promise<void> {
		this.started = false;
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		await Promise.all(this.running.values());
		for (const schedule of this.held) await schedule.stop();
	}
}
