import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Kysely } from 'kysely';
import { openDatabase, type AppDatabase } from '../../../src/lib/server/db/database';
import type { DB } from '../../../src/lib/server/db/schema';
import { appScheduler, reminderHour } from '../../../src/lib/server/scheduler/jobs';
import { Scheduler } from '../../../src/lib/server/scheduler/scheduler';
import { fromLondon } from '../../../src/lib/server/time';
import { copyPostgresTemplate, databaseKind, openTestDatabase } from '../../support/database';
import { emailsTo, makeBooking, makeSession, makeUser } from '../../support/factories';

// Two schedulers stand for two app processes on one database. On PostgreSQL each has its own
// pool, so their claims race for real; on PGlite, the one process holds the one connection.
// The work commits (a daily claim is a transaction of its own), so each test names its own job.

vi.stubEnv('SMTP_URL', '');

let first: AppDatabase;
let second: AppDatabase | undefined;
const dbs = () => [first.db, second?.db ?? first.db] as const;

beforeAll(async () => {
	if (databaseKind === 'postgres') {
		const copy = await copyPostgresTemplate(5);
		first = copy;
		second = await openDatabase({ kind: 'postgres', url: copy.url, poolSize: 5 });
	} else first = await openTestDatabase();
});
afterAll(async () => {
	await second?.close();
	await first?.close();
});

const uk = (date: string, time: string) => fromLondon(date, time);

/** A daily job that counts its runs, and takes a moment inside its claim so that a rival's claim overlaps it. */
function countingJob(name: string, hour = 7) {
	const job = {
		runs: 0,
		failNext: false,
		name,
		hour,
		run: async () => {
			await new Promise((resolve) => setTimeout(resolve, 50));
			if (job.failNext) {
				job.failNext = false;
				throw new Error('the job failed part-way');
			}
			job.runs++;
		}
	};
	return job;
}

function schedulerAt(db: Kysely<DB>, job: ReturnType<typeof countingJob>, at: { now: Date }) {
	return new Scheduler(
		() => db,
		() => at.now
	).onceADay(job);
}

const claims = (job: string) => first.db.selectFrom('scheduled_run').select('day').where('job', '=', job).orderBy('day').execute();

describe('a daily job', () => {
	it('runs once a UK day, from its hour on', async () => {
		const job = countingJob('counting once a day');
		const at = { now: uk('2030-06-03', '06:59') };
		const scheduler = schedulerAt(first.db, job, at);

		await scheduler.runDue();
		expect(job.runs).toBe(0);
		at.now = uk('2030-06-03', '07:00');
		await scheduler.runDue();
		expect(job.runs).toBe(1);
		at.now = uk('2030-06-03', '23:59');
		await scheduler.runDue();
		expect(job.runs).toBe(1);
		// A day that starts at 00:00 UK time (23:00 UTC in summer).
		at.now = uk('2030-06-04', '07:01');
		await scheduler.runDue();
		expect(job.runs).toBe(2);
		expect(await claims(job.name)).toEqual([{ day: '2030-06-03' }, { day: '2030-06-04' }]);
	});

	it('runs once a day between two schedulers looking at the same moment', async () => {
		const job = countingJob('counting across two processes');
		const at = { now: uk('2030-06-03', '07:00') };
		const [a, b] = dbs().map((db) => schedulerAt(db, job, at));

		await Promise.all([a!.runDue(), b!.runDue()]);
		expect(job.runs).toBe(1);
		await Promise.all([b!.runDue(), a!.runDue()]);
		expect(job.runs).toBe(1);

		at.now = uk('2030-06-04', '09:30');
		await Promise.all([b!.runDue(), a!.runDue()]);
		expect(job.runs).toBe(2);
		expect(await claims(job.name)).toHaveLength(2);
	});

	it('is not claimed when it fails, so the next look runs it again', async () => {
		const job = countingJob('failing once');
		const at = { now: uk('2030-06-03', '08:00') };
		const scheduler = schedulerAt(first.db, job, at);
		job.failNext = true;
		const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
		try {
			await scheduler.runDue();
			expect(logged).toHaveBeenCalledWith(expect.stringContaining('failing once'));
		} finally {
			logged.mockRestore();
		}
		expect(job.runs).toBe(0);
		expect(await claims(job.name)).toEqual([]);

		await scheduler.runDue();
		expect(job.runs).toBe(1);
		expect(await claims(job.name)).toEqual([{ day: '2030-06-03' }]);
	});

	it('starts with its held schedules, looks at once, and on stop waits for the work under way', async () => {
		const job = countingJob('at start');
		const held = { started: 0, stopped: 0 };
		const scheduler = schedulerAt(first.db, job, { now: uk('2030-06-03', '12:00') }).hold({
			name: 'held',
			start: () => held.started++,
			stop: async () => {
				held.stopped++;
			}
		});
		scheduler.start();
		expect(held).toEqual({ started: 1, stopped: 0 });
		await scheduler.stop();
		expect(job.runs).toBe(1);
		expect(held).toEqual({ started: 1, stopped: 1 });
	});
});

describe('the server’s reminders', () => {
	it('are written at REMINDER_HOUR, UK time, once between two processes', async () => {
		vi.stubEnv('REMINDER_HOUR', '9');
		try {
			const contact = await makeUser(first.db, { role: 'school' });
			const session = await makeSession(first.db, { starts_at: uk('2030-09-10', '10:00') });
			await makeBooking(first.db, { school_id: contact.school_id!, session_id: session.id });
			const at = { now: uk('2030-09-07', '08:59') };
			const [a, b] = dbs().map((db) =>
				appScheduler(
					() => db,
					() => at.now
				)
			);

			await Promise.all([a!.runDue(), b!.runDue()]);
			expect(await emailsTo(first.db, contact.email)).toEqual([]);

			at.now = uk('2030-09-07', '09:00');
			await Promise.all([a!.runDue(), b!.runDue()]);
			expect(await emailsTo(first.db, contact.email)).toEqual([expect.objectContaining({ subject: expect.stringMatching(/^Reminder: /), status: 'kept' })]);
			expect(await claims('reminders')).toEqual([{ day: '2030-09-07' }]);
		} finally {
			vi.unstubAllEnvs();
			vi.stubEnv('SMTP_URL', '');
		}
	});
});

describe('reminderHour', () => {
	it('is 7 unless REMINDER_HOUR says otherwise', () => {
		expect(reminderHour({})).toBe(7);
		expect(reminderHour({ REMINDER_HOUR: '' })).toBe(7);
		expect(reminderHour({ REMINDER_HOUR: '0' })).toBe(0);
		expect(reminderHour({ REMINDER_HOUR: ' 23 ' })).toBe(23);
	});

	it('refuses anything but a whole hour from 0 to 23, with a message that says so', () => {
		for (const text of ['24', 'seven', '7.5', '-1', '7am']) {
			expect(() => reminderHour({ REMINDER_HOUR: text })).toThrow(`REMINDER_HOUR must be a whole hour from 0 to 23 (UK time), not "${text}"`);
		}
	});
});
