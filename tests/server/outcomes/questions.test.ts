import { describe, expect, it, vi } from 'vitest';
import {
	addQuestion,
	getQuestionSet,
	moveQuestion,
	questionFormVersion,
	retireQuestion,
	rewordQuestion
} from '../../../src/lib/server/outcomes/outcomes.service';
import { reportFiguresChanged } from '../../../src/lib/server/reports/rollups';
import { createLedProgramme } from '../../support/booking-world';
import { useTestDatabase } from '../../support/database';
import { auditEvents, makeActor } from '../../support/factories';
import { addQuestions, enterAnonymous, makeOutcomesWorld } from '../../support/outcomes-world';

// The real rebuild needs the app server; here, only whether a service asked for one.
vi.mock('../../../src/lib/server/reports/rollups', async (importOriginal) => ({
	...(await importOriginal<typeof import('../../../src/lib/server/reports/rollups')>()),
	reportFiguresChanged: vi.fn()
}));

const t = useTestDatabase();

const wordings = async (world: { lead: Parameters<typeof getQuestionSet>[1]; programmeId: string }) =>
	(await getQuestionSet(t.db, world.lead, world.programmeId)).active.map((q) => q.wording);

describe('a programme’s question set', () => {
	it('keeps statements in the order they were added, and moves one up or down', async () => {
		const world = await createLedProgramme(t.db);
		const [first, second, third] = await addQuestions(t.db, world, ['First statement', 'Second statement', 'Third statement']);
		expect(await wordings(world)).toEqual(['First statement', 'Second statement', 'Third statement']);
		await moveQuestion(t.db, world.lead, world.programmeId, third!, 'up');
		expect(await wordings(world)).toEqual(['First statement', 'Third statement', 'Second statement']);
		await moveQuestion(t.db, world.lead, world.programmeId, first!, 'down');
		expect(await wordings(world)).toEqual(['Third statement', 'First statement', 'Second statement']);
		// At the ends nothing moves.
		await moveQuestion(t.db, world.lead, world.programmeId, second!, 'down');
		await moveQuestion(t.db, world.lead, world.programmeId, third!, 'up');
		expect(await wordings(world)).toEqual(['Third statement', 'First statement', 'Second statement']);
		expect((await auditEvents(t.db, 'outcomes.question_moved')).map((e) => e.detail)).toEqual([
			{ programmeId: world.programmeId, from: 3, to: 2 },
			{ programmeId: world.programmeId, from: 1, to: 2 }
		]);
	});

	it.each([
		['nothing', '', 'Enter the statement'],
		['4 characters', 'abcd', 'The statement must be 5 characters or more'],
		['201 characters', 'x'.repeat(201), 'The statement must be 200 characters or fewer']
	])('refuses a statement of %s and saves nothing', async (_, wording, message) => {
		const world = await createLedProgramme(t.db);
		expect(await addQuestion(t.db, world.lead, world.programmeId, { wording })).toEqual({ ok: false, code: 'invalid', errors: { wording: message } });
		expect(await wordings(world)).toEqual([]);
	});

	it('takes at most 12 statements in use', async () => {
		const world = await createLedProgramme(t.db);
		const ids = await addQuestions(
			t.db,
			world,
			Array.from({ length: 12 }, (_, i) => `Statement number ${i + 1}`)
		);
		const refused = await addQuestion(t.db, world.lead, world.programmeId, { wording: 'One too many' });
		expect(refused).toEqual({
			ok: false,
			code: 'refused',
			reason: 'question_set_full',
			message: 'A question set can have up to 12 statements: retire one first',
			field: 'wording'
		});
		await retireQuestion(t.db, world.lead, world.programmeId, ids[0]!);
		expect((await addQuestion(t.db, world.lead, world.programmeId, { wording: 'One too many' })).ok).toBe(true);
	});

	it('corrects the wording in place while nobody has answered', async () => {
		const world = await createLedProgramme(t.db);
		const [id] = await addQuestions(t.db, world, ['I know who to tel']);
		const result = await rewordQuestion(t.db, world.lead, world.programmeId, id!, { wording: 'I know who to tell' });
		expect(result).toEqual({ ok: true, id, replaced: false });
		const set = await getQuestionSet(t.db, world.lead, world.programmeId);
		expect(set.active.map((q) => [q.id, q.wording])).toEqual([[id, 'I know who to tell']]);
		expect(set.retired).toEqual([]);
	});

	it('keeps an answered question, retired with its answers, and puts the new wording in its place', async () => {
		const world = await makeOutcomesWorld(t.db);
		const [first, second] = world.questionIds;
		await enterAnonymous(t.db, world, 'AB12', 'before', [2, 3]);
		const result = await rewordQuestion(
			t.db,
			world.lead,
			world.programmeId,
			first,
			{ wording: 'I know who to tell about a worry online' },
			new Date('2030-03-21T10:00:00Z')
		);
		expect(result).toMatchObject({ ok: true, replaced: true });
		const newId = result.ok ? result.id : '';
		const set = await getQuestionSet(t.db, world.lead, world.programmeId);
		expect(set.active.map((q) => q.id)).toEqual([newId, second]);
		expect(set.active[0]).toMatchObject({ wording: 'I know who to tell about a worry online', replaces_id: first, answers: 0 });
		expect(set.retired).toEqual([expect.objectContaining({ id: first, wording: "I know who to tell if I'm worried about a friend online", answers: 1 })]);
		expect((await auditEvents(t.db, 'outcomes.question_replaced'))[0]).toMatchObject({
			entity_id: newId,
			detail: { programmeId: world.programmeId, replacesId: first, answersKept: 1 }
		});
	});

	it('retires a question: no longer asked, its answers kept', async () => {
		const world = await makeOutcomesWorld(t.db);
		const [first, second] = world.questionIds;
		await enterAnonymous(t.db, world, 'AB12', 'before', [2, 3]);
		await retireQuestion(t.db, world.lead, world.programmeId, first, new Date('2030-03-21T10:00:00Z'));
		const set = await getQuestionSet(t.db, world.lead, world.programmeId);
		expect(set.active.map((q) => q.id)).toEqual([second]);
		expect(set.retired.map((q) => [q.id, q.answers])).toEqual([[first, 1]]);
		expect(await t.db.selectFrom('outcome_answer').select('score').where('question_id', '=', first).execute()).toEqual([{ score: 2 }]);
		expect((await auditEvents(t.db, 'outcomes.question_retired'))[0]).toMatchObject({
			entity_id: first,
			detail: { programmeId: world.programmeId, answersKept: 1 }
		});
	});

	it('asks for the report figures to be rebuilt after each change to the set, and not when nothing changes', async () => {
		// The reports show outcomes by statement: its wording, its place and whether it is retired.
		const world = await createLedProgramme(t.db);
		vi.mocked(reportFiguresChanged).mockClear();
		const [first, second] = await addQuestions(t.db, world, ['First statement', 'Second statement']);
		expect(reportFiguresChanged).toHaveBeenCalledTimes(2);
		await moveQuestion(t.db, world.lead, world.programmeId, first!, 'up');
		expect((await addQuestion(t.db, world.lead, world.programmeId, { wording: '' })).ok).toBe(false);
		expect(reportFiguresChanged).toHaveBeenCalledTimes(2);
		await moveQuestion(t.db, world.lead, world.programmeId, second!, 'up');
		await rewordQuestion(t.db, world.lead, world.programmeId, first!, { wording: 'The first statement' });
		await retireQuestion(t.db, world.lead, world.programmeId, first!);
		expect(reportFiguresChanged).toHaveBeenCalledTimes(5);
	});

	it('lets an admin manage any programme’s questions', async () => {
		const world = await createLedProgramme(t.db);
		expect((await addQuestion(t.db, world.admin, world.programmeId, { wording: 'An admin’s statement' })).ok).toBe(true);
		expect(await wordings(world)).toEqual(['An admin’s statement']);
	});
});

describe('who may manage questions', () => {
	it('is a 404, audited, for the lead of another programme', async () => {
		const world = await createLedProgramme(t.db);
		const [id] = await addQuestions(t.db, world, ['A statement of ours']);
		const other = await createLedProgramme(t.db);
		await expect(getQuestionSet(t.db, other.lead, world.programmeId)).rejects.toMatchObject({ status: 404 });
		await expect(addQuestion(t.db, other.lead, world.programmeId, { wording: 'Sneaked in' })).rejects.toMatchObject({ status: 404 });
		await expect(rewordQuestion(t.db, other.lead, world.programmeId, id!, { wording: 'Changed by them' })).rejects.toMatchObject({ status: 404 });
		await expect(retireQuestion(t.db, other.lead, world.programmeId, id!)).rejects.toMatchObject({ status: 404 });
		const refusals = await auditEvents(t.db, 'access.refused');
		expect(refusals).toHaveLength(4);
		expect(refusals.every((e) => e.actor_id === other.lead.id && e.entity_type === 'programme' && e.entity_id === world.programmeId)).toBe(true);
		expect(await wordings(world)).toEqual(['A statement of ours']);
	});

	it('is a 404 for a school contact and a report viewer', async () => {
		const world = await createLedProgramme(t.db);
		const [id] = await addQuestions(t.db, world, ['A statement of ours']);
		for (const role of ['school', 'viewer'] as const) {
			const actor = await makeActor(t.db, { role });
			await expect(getQuestionSet(t.db, actor, world.programmeId)).rejects.toMatchObject({ status: 404 });
			await expect(addQuestion(t.db, actor, world.programmeId, { wording: 'Not allowed' })).rejects.toMatchObject({ status: 404 });
			await expect(moveQuestion(t.db, actor, world.programmeId, id!, 'up')).rejects.toMatchObject({ status: 404 });
		}
		expect(await auditEvents(t.db, 'access.refused')).toHaveLength(6);
	});

	it('is a 404 for a question of another programme, even to its own lead', async () => {
		const world = await createLedProgramme(t.db);
		const other = await createLedProgramme(t.db);
		const [theirs] = await addQuestions(t.db, other, ['Their statement']);
		await expect(retireQuestion(t.db, world.lead, world.programmeId, theirs!)).rejects.toMatchObject({ status: 404 });
		expect((await auditEvents(t.db, 'access.refused'))[0]).toMatchObject({ entity_type: 'outcome_question', entity_id: theirs });
	});
});

describe('two people on one statement', () => {
	const version = async (world: { admin: Parameters<typeof getQuestionSet>[1]; programmeId: string }, id: string) =>
		questionFormVersion((await getQuestionSet(t.db, world.admin, world.programmeId)).active.find((q) => q.id === id)!);
	const storedWording = (id: string) => t.db.selectFrom('outcome_question').select(['wording', 'retired_at']).where('id', '=', id).executeTakeFirstOrThrow();
	/** The answer to a change from a page opened before someone else's: nothing saved, the wording saved now beside the field. */
	const changedSince = (saved: string, basedOn: string) => ({
		ok: false,
		code: 'conflict',
		reason: 'changed_since',
		field: 'basedOn',
		message:
			'This statement was changed by someone else, after you opened this page: your changes have not been saved. What is saved now is shown beside each field where it differs from yours. Save again to replace it with yours.',
		errors: { newWording: `Statement: saved now as ‘${saved}’` },
		basedOn
	});

	it('refuses the second of two changes to an unanswered statement from pages opened on one wording, and takes it when sent again', async () => {
		const world = await createLedProgramme(t.db);
		const [id] = await addQuestions(t.db, world, ['I know who to tell']);
		const opened = await version(world, id!);

		expect(await rewordQuestion(t.db, world.lead, world.programmeId, id!, { wording: 'I know who to tell if I am worried' }, new Date(), opened)).toEqual({
			ok: true,
			id,
			replaced: false
		});
		const second = await rewordQuestion(t.db, world.admin, world.programmeId, id!, { wording: 'I know who to talk to' }, new Date(), opened);

		expect(second).toEqual(changedSince('I know who to tell if I am worried', await version(world, id!)));
		expect(await storedWording(id!)).toEqual({ wording: 'I know who to tell if I am worried', retired_at: null });
		expect(await auditEvents(t.db, 'outcomes.question_reworded')).toHaveLength(1);

		expect(
			await rewordQuestion(t.db, world.admin, world.programmeId, id!, { wording: 'I know who to talk to' }, new Date(), await version(world, id!))
		).toMatchObject({
			ok: true
		});
		expect(await storedWording(id!)).toEqual({ wording: 'I know who to talk to', retired_at: null });
	});

	it('checks a change to a statement reworded with answers since against the one in its place, not a 404, and changes that one when sent again', async () => {
		const world = await makeOutcomesWorld(t.db);
		const [first] = world.questionIds;
		await enterAnonymous(t.db, world, 'AB12', 'before', [2, 3]);
		const opened = await version(world, first);

		const replaced = await rewordQuestion(
			t.db,
			world.lead,
			world.programmeId,
			first,
			{ wording: 'I know who to tell about a worry online' },
			new Date(),
			opened
		);
		expect(replaced).toMatchObject({ ok: true, replaced: true });
		const inItsPlace = replaced.ok ? replaced.id : '';
		const second = await rewordQuestion(t.db, world.admin, world.programmeId, first, { wording: 'I know who to ask for help online' }, new Date(), opened);

		expect(second).toEqual(changedSince('I know who to tell about a worry online', await version(world, inItsPlace)));
		// Sent again, as the page then shows it: the statement in its place, on its version. It has no answers, so it is corrected in place.
		expect(
			await rewordQuestion(
				t.db,
				world.admin,
				world.programmeId,
				inItsPlace,
				{ wording: 'I know who to ask for help online' },
				new Date(),
				await version(world, inItsPlace)
			)
		).toEqual({
			ok: true,
			id: inItsPlace,
			replaced: false
		});
		expect(await storedWording(inItsPlace)).toEqual({ wording: 'I know who to ask for help online', retired_at: null });
		expect(await auditEvents(t.db, 'access.refused')).toEqual([]);
	});

	it('tells whoever changes or moves a statement retired since they opened the page, changing nothing, with no refusal audited', async () => {
		const world = await createLedProgramme(t.db);
		const [first] = await addQuestions(t.db, world, ['First statement', 'Second statement']);
		const opened = await version(world, first!);
		await retireQuestion(t.db, world.lead, world.programmeId, first!);

		const retired = {
			ok: false,
			code: 'refused',
			reason: 'retired',
			field: 'statements',
			message: expect.stringMatching(/^This statement was retired by someone else after you opened this page, so /)
		};
		expect(await rewordQuestion(t.db, world.admin, world.programmeId, first!, { wording: 'First, reworded' }, new Date(), opened)).toEqual(retired);
		expect(await moveQuestion(t.db, world.admin, world.programmeId, first!, 'down')).toEqual(retired);
		expect(await storedWording(first!)).toEqual({ wording: 'First statement', retired_at: expect.any(Date) });
		expect(await wordings(world)).toEqual(['Second statement']);
		expect(await auditEvents(t.db, 'access.refused')).toEqual([]);
		expect(await auditEvents(t.db, 'outcomes.question_moved')).toEqual([]);
	});
});
