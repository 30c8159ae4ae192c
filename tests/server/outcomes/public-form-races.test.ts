import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDRESS_FAILURE_LIMIT, answerPublicForm, openPublicForm } from '../../../src/lib/server/outcomes/outcomes.public';
import type { Result } from '../../../src/lib/server/result';
import { copyTemplateDatabase } from '../../support/booking-world';
import { answers, makeOutcomesWorld, openCode, SESSION_DAY } from '../../support/outcomes-world';

// Races need real concurrent connections: PGlite has one, so these run on PostgreSQL only,
// committing to a database of their own.

const AT = new Date(SESSION_DAY.getTime() + 5 * 60_000);

describe.skipIf(process.env.TEST_DB !== 'postgres')('the public form under contention (PostgreSQL)', () => {
	let database: Awaited<ReturnType<typeof copyTemplateDatabase>>;
	beforeAll(async () => {
		database = await copyTemplateDatabase();
	});
	afterAll(async () => {
		await database?.drop();
	});

	const tally = (results: Result[]) => ({
		saved: results.filter((r) => r.ok).length,
		duplicate: results.filter((r) => !r.ok && r.code === 'invalid' && r.errors.matchingCode).length,
		full: results.filter((r) => !r.ok && r.code === 'refused' && r.reason === 'full').length
	});

	it('saves one of 10 befores sent at once with the same matching code, and tells the others', async () => {
		const db = database.database.db;
		const world = await makeOutcomesWorld(db);
		const code = await openCode(db, world);
		const values = answers(world.questionIds, [3, 4], { matchingCode: 'SAME1', moment: 'before', schoolId: world.schoolId });
		const results = await Promise.all(Array.from({ length: 10 }, (_, i) => answerPublicForm(db, code, values, `192.0.2.${i}`, AT)));
		expect(tally(results)).toEqual({ saved: 1, duplicate: 9, full: 0 });
		const rows = await db.selectFrom('outcome_questionnaire').select('id').where('session_id', '=', world.sessionId).execute();
		expect(rows).toHaveLength(1);
	});

	it('never lets a code take more than its allowance, however many answers arrive at once', async () => {
		const db = database.database.db;
		// One place: a before and an after, and ten more, is 12.
		const world = await makeOutcomesWorld(db, '1');
		const code = await openCode(db, world);
		const results = await Promise.all(
			Array.from({ length: 20 }, (_, i) =>
				answerPublicForm(
					db,
					code,
					answers(world.questionIds, [3, 4], { matchingCode: `RACE${String(i).padStart(2, '0')}`, moment: 'before', schoolId: world.schoolId }),
					'192.0.2.50',
					AT
				)
			)
		);
		expect(tally(results)).toEqual({ saved: 12, duplicate: 0, full: 8 });
	});

	it(`looks up at most ${ADDRESS_FAILURE_LIMIT} of 200 wrong codes typed at once on one network`, async () => {
		const db = database.database.db;
		// Well-shaped codes that are not open: each is a guess to be counted.
		const letters = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
		const guesses = Array.from({ length: 200 }, (_, i) => `ZZ${[1000, 100, 10, 1].map((d) => letters[Math.floor(i / d) % letters.length]).join('')}`);
		const results = await Promise.all(guesses.map((guess) => openPublicForm(db, guess, '198.51.100.99', AT)));
		const reasons = results.map((r) => (r.ok ? 'opened' : r.code === 'refused' ? r.reason : r.code));
		expect(reasons.filter((r) => r === 'unknown').length).toBeLessThanOrEqual(ADDRESS_FAILURE_LIMIT);
		expect(reasons.filter((r) => r !== 'unknown' && r !== 'throttled')).toEqual([]);
	});
});
