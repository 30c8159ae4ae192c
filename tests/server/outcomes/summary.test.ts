import { describe, expect, it } from 'vitest';
import { outcomeSummaries, totalByProgramme } from '../../../src/lib/server/outcomes/outcomes.summary';
import { scheduleLeadSession } from '../../support/booking-world';
import { makeYoungPeople } from '../../support/attendance-world';
import { useTestDatabase } from '../../support/database';
import { makeBooking } from '../../support/factories';
import { enterAnonymous, enterUndated, makeOutcomesWorld, SESSION_DATE, type OutcomesWorld } from '../../support/outcomes-world';

const t = useTestDatabase();

const YEAR_2029 = { from: '2029-09-01', to: '2030-08-31' };

/** The counts of a summary row, without the names. */
const counts = (row: Awaited<ReturnType<typeof outcomeSummaries>>[number] | undefined) =>
	row && {
		pairs: row.pairs,
		improved: row.improved,
		same: row.same,
		worse: row.worse,
		totalChange: row.totalChange,
		unmatchedBefore: row.unmatchedBefore,
		unmatchedAfter: row.unmatchedAfter
	};

async function enrol(world: OutcomesWorld) {
	const [person] = await makeYoungPeople(t.db, world.schoolId, 'Y8', 1, 'Outcome');
	await t.db
		.insertInto('enrolment')
		.values({ programme_id: world.programmeId, young_person_id: person!.id, role: 'participant', stage: 'active', started_on: '2029-09-01' })
		.execute();
	return person!.id;
}

describe('outcomeSummaries on a hand-worked example', () => {
	// Two statements; five matching codes at one session, typed in as on paper:
	//   code   before (Q1, Q2)  after (Q1, Q2)   Q1 change   Q2 change
	//   AB12   2, 3             4, 3             +2          0
	//   cd34   4, 2             (CD34) 3, 5      -1          +3        (case ignored)
	//   EF56   1, -             5, 4             +4          after only
	//   GH78   3, 3             -                before only before only
	//   JK90   -                5, -             after only  -
	// Q1: 3 pairs, 2 improved, 1 worse, total +5: share 2/3, mean 5/3; 1 unmatched before, 1 after.
	// Q2: 2 pairs, 1 improved, 1 same, total +3: share 1/2, mean 1.5; 1 unmatched before, 1 after.
	async function example() {
		const world = await makeOutcomesWorld(t.db);
		await enterAnonymous(t.db, world, 'AB12', 'before', [2, 3]);
		await enterAnonymous(t.db, world, 'AB12', 'after', [4, 3]);
		await enterAnonymous(t.db, world, 'cd34', 'before', [4, 2]);
		await enterAnonymous(t.db, world, 'CD34', 'after', [3, 5]);
		await enterAnonymous(t.db, world, 'EF56', 'before', [1, null]);
		await enterAnonymous(t.db, world, 'EF56', 'after', [5, 4]);
		await enterAnonymous(t.db, world, 'GH78', 'before', [3, 3]);
		await enterAnonymous(t.db, world, 'JK90', 'after', [5, null]);
		return world;
	}

	it('counts pairs, improvement, share improved and mean change per question, leaving unmatched answers out', async () => {
		const world = await example();
		const rows = await outcomeSummaries(t.db, { from: SESSION_DATE, to: SESSION_DATE, programmeIds: [world.programmeId] });
		expect(rows.map((r) => r.questionId)).toEqual(world.questionIds);
		const [q1, q2] = rows;
		expect(counts(q1)).toEqual({ pairs: 3, improved: 2, same: 0, worse: 1, totalChange: 5, unmatchedBefore: 1, unmatchedAfter: 1 });
		expect(q1!.shareImproved).toBeCloseTo(2 / 3, 10);
		expect(q1!.meanChange).toBeCloseTo(5 / 3, 10);
		expect(counts(q2)).toEqual({ pairs: 2, improved: 1, same: 1, worse: 0, totalChange: 3, unmatchedBefore: 1, unmatchedAfter: 1 });
		expect(q2!.shareImproved).toBe(0.5);
		expect(q2!.meanChange).toBe(1.5);
		expect(q1).toMatchObject({ position: 1, retired: false, schoolId: null, schoolName: null });
	});

	it('adds the questions up per programme', async () => {
		const world = await example();
		const [total] = totalByProgramme(await outcomeSummaries(t.db, { ...YEAR_2029, programmeIds: [world.programmeId] }));
		expect(total).toMatchObject({
			programmeId: world.programmeId,
			pairs: 5,
			improved: 3,
			totalChange: 8,
			unmatchedBefore: 2,
			unmatchedAfter: 2,
			shareImproved: 0.6,
			meanChange: 1.6
		});
	});

	it('counts nothing outside the period, and a period with nothing has no rows', async () => {
		const world = await example();
		expect(await outcomeSummaries(t.db, { from: '2030-03-21', to: '2030-12-31', programmeIds: [world.programmeId] })).toEqual([]);
		expect(await outcomeSummaries(t.db, { from: '2029-01-01', to: '2030-03-19', programmeIds: [world.programmeId] })).toEqual([]);
		expect(await outcomeSummaries(t.db, { from: SESSION_DATE, to: SESSION_DATE, programmeIds: [] })).toEqual([]);
	});

	it('splits by school, placing a pair at its after’s school, and keeps only the schools asked for', async () => {
		const world = await makeOutcomesWorld(t.db);
		await enterAnonymous(t.db, world, 'AB12', 'before', [2, 3]);
		await enterAnonymous(t.db, world, 'AB12', 'after', [4, 3]);
		await enterAnonymous(t.db, world, 'ZZ99', 'before', [5, 5], world.otherSchoolId);
		await enterAnonymous(t.db, world, 'ZZ99', 'after', [3, 5], world.otherSchoolId);
		const rows = await outcomeSummaries(t.db, { ...YEAR_2029, programmeIds: [world.programmeId], bySchool: true });
		const q1 = rows.filter((r) => r.questionId === world.questionIds[0]);
		expect(q1.map((r) => [r.schoolId, r.pairs, r.improved, r.totalChange])).toEqual(
			expect.arrayContaining([
				[world.schoolId, 1, 1, 2],
				[world.otherSchoolId, 1, 0, -2]
			])
		);
		expect(q1).toHaveLength(2);
		// Row by row, each school is named (read without rows per school, no school is).
		const schools = await t.db.selectFrom('school').select(['id', 'name']).where('id', 'in', [world.schoolId, world.otherSchoolId]).execute();
		expect(q1.map((r) => [r.schoolId, r.schoolName])).toEqual(expect.arrayContaining(schools.map((s) => [s.id, s.name])));
		const onlyOne = await outcomeSummaries(t.db, { ...YEAR_2029, programmeIds: [world.programmeId], schoolIds: [world.otherSchoolId] });
		expect(onlyOne.map((r) => [r.schoolId, r.pairs, r.totalChange])).toEqual([
			[null, 1, -2],
			[null, 1, 0]
		]);
	});

	it('still counts answers to a retired question, marked as retired', async () => {
		const world = await example();
		await t.db.updateTable('outcome_question').set({ retired_at: new Date() }).where('id', '=', world.questionIds[0]).execute();
		const rows = await outcomeSummaries(t.db, { ...YEAR_2029, programmeIds: [world.programmeId] });
		expect(rows.map((r) => [r.questionId, r.retired, r.pairs])).toEqual([
			[world.questionIds[1], false, 2],
			[world.questionIds[0], true, 3]
		]);
	});
});

describe('matching before and after', () => {
	it('matches a code only within its own session', async () => {
		const world = await makeOutcomesWorld(t.db);
		const later = await scheduleLeadSession(t.db, world, { date: '2030-03-27' });
		await makeBooking(t.db, { session_id: later, school_id: world.schoolId, places: 1, created_by: world.lead.id });
		await enterAnonymous(t.db, world, 'AB12', 'before', [2, 2]);
		await enterAnonymous(t.db, { ...world, sessionId: later }, 'ab12', 'after', [5, 5]);
		const [q1] = await outcomeSummaries(t.db, { ...YEAR_2029, programmeIds: [world.programmeId] });
		expect(counts(q1)).toEqual({ pairs: 0, improved: 0, same: 0, worse: 0, totalChange: 0, unmatchedBefore: 1, unmatchedAfter: 1 });
		expect(q1!.shareImproved).toBeNull();
		expect(q1!.meanChange).toBeNull();
	});

	it('matches a code without a session within the programme’s academic year, not across 31 August', async () => {
		const world = await makeOutcomesWorld(t.db);
		await enterUndated(t.db, world, 'anonymous', { code: 'same1' }, 'before', '2029-09-01', [1, 1]);
		await enterUndated(t.db, world, 'anonymous', { code: 'SAME1' }, 'after', '2030-08-31', [3, 1]);
		await enterUndated(t.db, world, 'anonymous', { code: 'late9' }, 'before', '2030-08-31', [1, 1]);
		await enterUndated(t.db, world, 'anonymous', { code: 'LATE9' }, 'after', '2030-09-01', [4, 4]);
		const rows = await outcomeSummaries(t.db, { from: '2029-09-01', to: '2031-08-31', programmeIds: [world.programmeId] });
		expect(counts(rows[0])).toEqual({ pairs: 1, improved: 1, same: 0, worse: 0, totalChange: 2, unmatchedBefore: 1, unmatchedAfter: 1 });
	});

	it('matches a named young person across sessions and dates within the academic year', async () => {
		const world = await makeOutcomesWorld(t.db);
		const person = await enrol(world);
		await enterUndated(t.db, world, 'named', { youngPersonId: person }, 'before', '2029-10-01', [2, 4]);
		await enterUndated(t.db, world, 'named', { youngPersonId: person }, 'after', '2030-03-01', [3, 4]);
		const rows = await outcomeSummaries(t.db, { ...YEAR_2029, programmeIds: [world.programmeId] });
		expect(rows.map((r) => [r.pairs, r.improved, r.same, r.totalChange])).toEqual([
			[1, 1, 0, 1],
			[1, 0, 1, 0]
		]);
	});

	it('places a pair at its after’s school when the young person moved school between the two', async () => {
		const world = await makeOutcomesWorld(t.db);
		const moved = await enrol(world);
		const stayed = await enrol(world);
		await enterUndated(t.db, world, 'named', { youngPersonId: moved }, 'before', '2029-10-01', [2, 4]);
		const after = await enterUndated(t.db, world, 'named', { youngPersonId: moved }, 'after', '2030-03-01', [3, 4]);
		await enterUndated(t.db, world, 'named', { youngPersonId: stayed }, 'before', '2029-10-01', [1, 1]);
		// The after is recorded with the school they were at when it was entered.
		await t.db.updateTable('outcome_questionnaire').set({ school_id: world.otherSchoolId }).where('id', '=', after).execute();
		const rows = await outcomeSummaries(t.db, { ...YEAR_2029, programmeIds: [world.programmeId], bySchool: true });
		const q1 = rows.filter((r) => r.questionId === world.questionIds[0]);
		expect(q1.map((r) => [r.schoolId, r.pairs, r.totalChange, r.unmatchedBefore])).toEqual(
			expect.arrayContaining([
				[world.otherSchoolId, 1, 1, 0],
				[world.schoolId, 0, 0, 1]
			])
		);
		expect(q1).toHaveLength(2);
	});

	it('counts a pair in the period of its after: not in the before’s quarter, and not as unmatched there', async () => {
		const world = await makeOutcomesWorld(t.db);
		await enterUndated(t.db, world, 'anonymous', { code: 'SPAN1' }, 'before', '2029-10-01', [2, 2]);
		await enterUndated(t.db, world, 'anonymous', { code: 'SPAN1' }, 'after', '2030-03-01', [4, 2]);
		expect(await outcomeSummaries(t.db, { from: '2029-10-01', to: '2029-12-31', programmeIds: [world.programmeId] })).toEqual([]);
		const spring = await outcomeSummaries(t.db, { from: '2030-01-01', to: '2030-03-31', programmeIds: [world.programmeId] });
		expect(counts(spring[0])).toEqual({ pairs: 1, improved: 1, same: 0, worse: 0, totalChange: 2, unmatchedBefore: 0, unmatchedAfter: 0 });
	});

	it('dates a session’s answers by the session, whatever day they were typed in', async () => {
		const world = await makeOutcomesWorld(t.db);
		await enterAnonymous(t.db, world, 'AB12', 'before', [2, 2]);
		await enterAnonymous(t.db, world, 'AB12', 'after', [3, 3]);
		expect(await outcomeSummaries(t.db, { from: '2030-03-21', to: '2030-03-31', programmeIds: [world.programmeId] })).toEqual([]);
		expect((await outcomeSummaries(t.db, { from: '2030-03-01', to: '2030-03-20', programmeIds: [world.programmeId] }))[0]?.pairs).toBe(1);
	});

	it('keeps each programme’s answers to itself', async () => {
		const world = await makeOutcomesWorld(t.db);
		const other = await makeOutcomesWorld(t.db);
		await enterAnonymous(t.db, world, 'AB12', 'before', [2, 2]);
		await enterAnonymous(t.db, world, 'AB12', 'after', [3, 3]);
		await enterAnonymous(t.db, other, 'AB12', 'before', [1, 1]);
		const rows = await outcomeSummaries(t.db, { ...YEAR_2029, programmeIds: [world.programmeId, other.programmeId] });
		const byProgramme = totalByProgramme(rows);
		expect(byProgramme.find((p) => p.programmeId === world.programmeId)).toMatchObject({ pairs: 2, unmatchedBefore: 0 });
		expect(byProgramme.find((p) => p.programmeId === other.programmeId)).toMatchObject({ pairs: 0, unmatchedBefore: 2 });
	});
});
