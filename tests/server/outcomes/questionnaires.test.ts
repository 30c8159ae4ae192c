import { describe, expect, it, vi } from 'vitest';
import { enterProgrammeQuestionnaire, enterSessionQuestionnaire, getSessionEntry } from '../../../src/lib/server/outcomes/outcomes.service';
import { reportFiguresChanged } from '../../../src/lib/server/reports/rollups';
import { createLedProgramme } from '../../support/booking-world';
import { makeYoungPeople } from '../../support/attendance-world';
import { useTestDatabase } from '../../support/database';
import { auditEvents, makeActor, makeSchool } from '../../support/factories';
import { answerField, answers, enterAnonymous, makeOutcomesWorld, SESSION_DATE } from '../../support/outcomes-world';

// The real rebuild needs the app server; here, only whether a service asked for one.
vi.mock('../../../src/lib/server/reports/rollups', async (importOriginal) => ({
	...(await importOriginal<typeof import('../../../src/lib/server/reports/rollups')>()),
	reportFiguresChanged: vi.fn()
}));

const t = useTestDatabase();

const stored = () =>
	t.db
		.selectFrom('outcome_questionnaire')
		.select(['matching_code', 'moment', 'school_id', 'young_person_id', 'answered_on', 'academic_year', 'session_id', 'entered_by'])
		.orderBy('created_at')
		.execute();

describe('typing in a paper questionnaire at a session', () => {
	it('keeps the code in capitals, the school, the moment, the session’s date and the answers given', async () => {
		const world = await makeOutcomesWorld(t.db);
		const id = await enterAnonymous(t.db, world, ' ab 12cd ', 'before', [2, null]);
		expect(await stored()).toEqual([
			{
				matching_code: 'AB12CD',
				moment: 'before',
				school_id: world.schoolId,
				young_person_id: null,
				answered_on: SESSION_DATE,
				academic_year: 2029,
				session_id: world.sessionId,
				entered_by: world.lead.id
			}
		]);
		expect(await t.db.selectFrom('outcome_answer').select(['question_id', 'score']).execute()).toEqual([{ question_id: world.questionIds[0], score: 2 }]);
		const [event] = await auditEvents(t.db, 'outcomes.questionnaire_entered');
		expect(event).toMatchObject({ actor_id: world.lead.id, entity_id: id });
		// Ids and counts only: no code, no scores.
		expect(event!.detail).toEqual({
			programmeId: world.programmeId,
			sessionId: world.sessionId,
			schoolId: world.schoolId,
			moment: 'before',
			named: false,
			answers: 1
		});
	});

	it.each([
		['no matching code', { matchingCode: '' }, 'matchingCode', 'Enter a matching code'],
		['a code of 3 characters', { matchingCode: 'AB1' }, 'matchingCode', 'The matching code must be 4 to 8 letters or numbers, with no other characters'],
		['a code of 9 characters', { matchingCode: 'ABCDE1234' }, 'matchingCode', 'The matching code must be 4 to 8 letters or numbers, with no other characters'],
		['a code with punctuation', { matchingCode: 'AB-12' }, 'matchingCode', 'The matching code must be 4 to 8 letters or numbers, with no other characters'],
		['no school', { schoolId: '' }, 'schoolId', 'Select the school'],
		['no moment', { moment: '' }, 'moment', 'Select before or after']
	])('refuses %s, saving nothing', async (_, override, key, message) => {
		const world = await makeOutcomesWorld(t.db);
		const values = answers(world.questionIds, [3, 4], { matchingCode: 'AB12', schoolId: world.schoolId, moment: 'before', ...override });
		const result = await enterSessionQuestionnaire(t.db, world.lead, world.sessionId, 'anonymous', values);
		expect(result).toEqual({ ok: false, code: 'invalid', errors: { [key]: message } });
		expect(await stored()).toEqual([]);
	});

	it('asks for the report figures to be rebuilt after a questionnaire is saved, and not after one refused', async () => {
		const world = await makeOutcomesWorld(t.db);
		vi.mocked(reportFiguresChanged).mockClear();
		const refused = await enterSessionQuestionnaire(
			t.db,
			world.lead,
			world.sessionId,
			'anonymous',
			answers(world.questionIds, [3, 4], { matchingCode: '', schoolId: world.schoolId, moment: 'before' })
		);
		expect(refused.ok).toBe(false);
		expect(reportFiguresChanged).not.toHaveBeenCalled();
		await enterAnonymous(t.db, world, 'AB12', 'before', [3, 4]);
		expect(reportFiguresChanged).toHaveBeenCalledTimes(1);
	});

	it('refuses a school that holds no places at the session', async () => {
		const world = await makeOutcomesWorld(t.db);
		const stranger = await makeSchool(t.db);
		const values = answers(world.questionIds, [3, 4], { matchingCode: 'AB12', schoolId: stranger.id, moment: 'before' });
		expect(await enterSessionQuestionnaire(t.db, world.lead, world.sessionId, 'anonymous', values)).toEqual({
			ok: false,
			code: 'invalid',
			errors: { schoolId: 'Select a school from the list' }
		});
	});

	it('refuses a score outside 1 to 5 and a questionnaire with no answers at all', async () => {
		const world = await makeOutcomesWorld(t.db);
		const base = { matchingCode: 'AB12', schoolId: world.schoolId, moment: 'before' };
		const six = await enterSessionQuestionnaire(t.db, world.lead, world.sessionId, 'anonymous', {
			...answers(world.questionIds, [3, null], base),
			answers: { [world.questionIds[0]]: '3', [world.questionIds[1]]: '6' }
		});
		expect(six).toEqual({ ok: false, code: 'invalid', errors: { [answerField(world.questionIds[1])]: 'Select an answer for statement 2 from 1 to 5' } });
		const none = await enterSessionQuestionnaire(t.db, world.lead, world.sessionId, 'anonymous', answers(world.questionIds, [null, null], base));
		expect(none).toEqual({ ok: false, code: 'invalid', errors: { [answerField(world.questionIds[0])]: 'Select an answer for at least one statement' } });
		expect(await stored()).toEqual([]);
	});

	it('takes one before and one after per code at a session, whatever the case', async () => {
		const world = await makeOutcomesWorld(t.db);
		await enterAnonymous(t.db, world, 'AB12', 'before', [2, 2]);
		const again = await enterSessionQuestionnaire(
			t.db,
			world.lead,
			world.sessionId,
			'anonymous',
			answers(world.questionIds, [3, 3], { matchingCode: 'ab12', schoolId: world.schoolId, moment: 'before' })
		);
		expect(again).toEqual({
			ok: false,
			code: 'invalid',
			errors: { matchingCode: 'This matching code has already answered the before questions at this session. Check the code, or choose another' }
		});
		await enterAnonymous(t.db, world, 'ab12', 'after', [3, 3]);
		expect((await stored()).map((q) => [q.matching_code, q.moment])).toEqual([
			['AB12', 'before'],
			['AB12', 'after']
		]);
	});

	it('refuses an after whose before named another school', async () => {
		const world = await makeOutcomesWorld(t.db);
		await enterAnonymous(t.db, world, 'AB12', 'before', [2, 2]);
		const result = await enterSessionQuestionnaire(
			t.db,
			world.lead,
			world.sessionId,
			'anonymous',
			answers(world.questionIds, [3, 3], { matchingCode: 'AB12', schoolId: world.otherSchoolId, moment: 'after' })
		);
		expect(result).toEqual({
			ok: false,
			code: 'invalid',
			errors: { schoolId: 'This matching code answered the other questions for a different school at this session. Check the school and the code' }
		});
	});

	it('takes a named questionnaire for an enrolled young person, at their own school, and refuses anyone not enrolled', async () => {
		const world = await makeOutcomesWorld(t.db);
		const [enrolled, outsider] = await makeYoungPeople(t.db, world.otherSchoolId, 'Y8', 2, 'Named');
		await t.db
			.insertInto('enrolment')
			.values({ programme_id: world.programmeId, young_person_id: enrolled!.id, role: 'participant', stage: 'active', started_on: '2029-09-01' })
			.execute();
		const values = (id: string) => answers(world.questionIds, [4, 5], { youngPersonId: id, moment: 'before' });
		expect((await enterSessionQuestionnaire(t.db, world.lead, world.sessionId, 'named', values(enrolled!.id))).ok).toBe(true);
		expect(await enterSessionQuestionnaire(t.db, world.lead, world.sessionId, 'named', values(outsider!.id))).toEqual({
			ok: false,
			code: 'invalid',
			errors: { youngPersonId: 'Select a young person enrolled in the programme' }
		});
		expect(await enterSessionQuestionnaire(t.db, world.lead, world.sessionId, 'named', values(enrolled!.id))).toEqual({
			ok: false,
			code: 'invalid',
			errors: { youngPersonId: 'This young person already has before answers for this programme in this academic year' }
		});
		expect(await stored()).toEqual([expect.objectContaining({ young_person_id: enrolled!.id, school_id: world.otherSchoolId, matching_code: null })]);
		expect((await auditEvents(t.db, 'outcomes.questionnaire_entered'))[0]!.detail).toMatchObject({ named: true });
	});

	it('refuses answers for a cancelled session', async () => {
		const world = await makeOutcomesWorld(t.db);
		await t.db.updateTable('programme_session').set({ status: 'cancelled' }).where('id', '=', world.sessionId).execute();
		const result = await enterSessionQuestionnaire(
			t.db,
			world.lead,
			world.sessionId,
			'anonymous',
			answers(world.questionIds, [3, 3], { matchingCode: 'AB12', schoolId: world.schoolId, moment: 'before' })
		);
		expect(result).toEqual({
			ok: false,
			code: 'refused',
			reason: 'session_cancelled',
			message: 'This session was cancelled: no answers can be recorded for it',
			field: 'moment'
		});
	});
});

describe('typing in a questionnaire with no session', () => {
	it('needs a real date, today or before, and shows the other problems with it', async () => {
		const world = await makeOutcomesWorld(t.db);
		const now = new Date('2030-03-20T12:00:00Z');
		const values = (answeredOn: string, overrides = {}) =>
			answers(world.questionIds, [3, 3], { matchingCode: 'AB12', schoolId: world.schoolId, moment: 'before', answeredOn, ...overrides });
		expect(await enterProgrammeQuestionnaire(t.db, world.lead, world.programmeId, 'anonymous', values('2030-03-21'), now)).toEqual({
			ok: false,
			code: 'invalid',
			errors: { answeredOn: 'The date answered must be today or in the past' }
		});
		expect(await enterProgrammeQuestionnaire(t.db, world.lead, world.programmeId, 'anonymous', values('2030-02-30', { matchingCode: '' }), now)).toEqual({
			ok: false,
			code: 'invalid',
			errors: { answeredOn: 'The date answered must be a real date', matchingCode: 'Enter a matching code' }
		});
		expect((await enterProgrammeQuestionnaire(t.db, world.lead, world.programmeId, 'anonymous', values('2030-03-20'), now)).ok).toBe(true);
		expect(await stored()).toEqual([expect.objectContaining({ session_id: null, answered_on: '2030-03-20', academic_year: 2029 })]);
	});
});

describe('who may type in questionnaires', () => {
	it('is a 404, audited, for the lead of another programme, a school contact and a report viewer', async () => {
		const world = await makeOutcomesWorld(t.db);
		const otherLead = (await createLedProgramme(t.db)).lead;
		const contact = await makeActor(t.db, { role: 'school', schoolId: world.schoolId });
		const viewer = await makeActor(t.db, { role: 'viewer' });
		const values = answers(world.questionIds, [3, 3], { matchingCode: 'AB12', schoolId: world.schoolId, moment: 'before' });
		for (const actor of [otherLead, contact, viewer]) {
			await expect(getSessionEntry(t.db, actor, world.sessionId)).rejects.toMatchObject({ status: 404 });
			await expect(enterSessionQuestionnaire(t.db, actor, world.sessionId, 'anonymous', values)).rejects.toMatchObject({ status: 404 });
		}
		await expect(enterProgrammeQuestionnaire(t.db, otherLead, world.programmeId, 'anonymous', values)).rejects.toMatchObject({ status: 404 });
		const refusals = await auditEvents(t.db, 'access.refused');
		expect(refusals).toHaveLength(7);
		expect(refusals.filter((e) => e.actor_id === otherLead.id).map((e) => [e.entity_type, e.entity_id])).toEqual([
			['session', world.sessionId],
			['session', world.sessionId],
			['programme', world.programmeId]
		]);
		expect(await stored()).toEqual([]);
	});

	it('lets an admin type them in', async () => {
		const world = await makeOutcomesWorld(t.db);
		const values = answers(world.questionIds, [3, 3], { matchingCode: 'AB12', schoolId: world.schoolId, moment: 'before' });
		expect((await enterSessionQuestionnaire(t.db, world.admin, world.sessionId, 'anonymous', values)).ok).toBe(true);
	});
});
