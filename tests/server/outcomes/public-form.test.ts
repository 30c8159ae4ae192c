import { describe, expect, it, vi } from 'vitest';
import { ADDRESS_FAILURE_LIMIT, answerPublicForm, openPublicForm } from '../../../src/lib/server/outcomes/outcomes.public';
import { closeSessionCode, getSessionEntry, openSessionCode, retireQuestion } from '../../../src/lib/server/outcomes/outcomes.service';
import { reportFiguresChanged } from '../../../src/lib/server/reports/rollups';
import { createLedProgramme } from '../../support/booking-world';
import { useTestDatabase } from '../../support/database';
import { auditEvents, makeActor } from '../../support/factories';
import { answerField, answers, makeOutcomesWorld, openCode, SESSION_DATE, SESSION_DAY, type OutcomesWorld } from '../../support/outcomes-world';

// The real rebuild needs the app server; here, only whether a service asked for one.
vi.mock('../../../src/lib/server/reports/rollups', async (importOriginal) => ({
	...(await importOriginal<typeof import('../../../src/lib/server/reports/rollups')>()),
	reportFiguresChanged: vi.fn()
}));

const t = useTestDatabase();

const ADDRESS = '198.51.100.7';
const minutesLater = (n: number) => new Date(SESSION_DAY.getTime() + n * 60_000);

function values(world: OutcomesWorld, code: string, moment: 'before' | 'after', scores: (number | null)[], schoolId = world.schoolId) {
	return answers(world.questionIds, scores, { matchingCode: code, moment, schoolId });
}

describe('opening a session code', () => {
	it('makes 6 characters that are easy to tell apart, open for 2 hours unless chosen', async () => {
		const world = await makeOutcomesWorld(t.db);
		const result = await openSessionCode(t.db, world.lead, world.sessionId, '120', SESSION_DAY);
		expect(result.ok).toBe(true);
		const code = result.ok ? result.code : '';
		expect(code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}$/);
		const row = await t.db.selectFrom('outcome_session_code').select(['code', 'expires_at', 'opened_by']).executeTakeFirstOrThrow();
		expect(row).toEqual({ code, expires_at: minutesLater(120), opened_by: world.lead.id });
		const [event] = await auditEvents(t.db, 'outcomes.code_opened');
		// The code itself stays out of the audit log.
		expect(event!.detail).toEqual({ sessionId: world.sessionId, minutes: 120 });
		expect(JSON.stringify(event)).not.toContain(code);
	});

	it('keeps a code open for a day at most', async () => {
		const world = await makeOutcomesWorld(t.db);
		expect(await openSessionCode(t.db, world.lead, world.sessionId, '1441', SESSION_DAY)).toEqual({
			ok: false,
			code: 'invalid',
			errors: { minutes: 'Select how long to keep the code open' }
		});
		expect((await openSessionCode(t.db, world.lead, world.sessionId, '1440', SESSION_DAY)).ok).toBe(true);
	});

	it('opens one code at a time: another once it is closed', async () => {
		const world = await makeOutcomesWorld(t.db);
		const first = await openSessionCode(t.db, world.lead, world.sessionId, '120', SESSION_DAY);
		expect(await openSessionCode(t.db, world.lead, world.sessionId, '120', minutesLater(5))).toEqual({
			ok: false,
			code: 'refused',
			reason: 'code_already_open',
			message: 'A code is already open for this session: close it first',
			field: 'minutes'
		});
		await closeSessionCode(t.db, world.lead, world.sessionId, first.ok ? first.id : '', minutesLater(10));
		expect((await getSessionEntry(t.db, world.lead, world.sessionId, minutesLater(11))).openCode).toBeUndefined();
		expect((await openSessionCode(t.db, world.lead, world.sessionId, '120', minutesLater(12))).ok).toBe(true);
		expect(await auditEvents(t.db, 'outcomes.code_closed')).toHaveLength(1);
	});

	it('needs statements to answer and a school holding places', async () => {
		const world = await makeOutcomesWorld(t.db);
		await t.db.updateTable('booking').set({ status: 'cancelled', confirmed_places: 0 }).where('session_id', '=', world.sessionId).execute();
		expect(await openSessionCode(t.db, world.lead, world.sessionId, '120', SESSION_DAY)).toEqual({
			ok: false,
			code: 'refused',
			reason: 'no_schools',
			message: 'No school holds places at this session yet, so young people would have no school to choose',
			field: 'minutes'
		});
	});

	it('is a 404, audited, for the lead of another programme and a school contact', async () => {
		const world = await makeOutcomesWorld(t.db);
		const otherLead = (await createLedProgramme(t.db)).lead;
		const contact = await makeActor(t.db, { role: 'school', schoolId: world.schoolId });
		await expect(openSessionCode(t.db, otherLead, world.sessionId, '120', SESSION_DAY)).rejects.toMatchObject({ status: 404 });
		await expect(openSessionCode(t.db, contact, world.sessionId, '120', SESSION_DAY)).rejects.toMatchObject({ status: 404 });
		const opened = await openSessionCode(t.db, world.lead, world.sessionId, '120', SESSION_DAY);
		await expect(closeSessionCode(t.db, otherLead, world.sessionId, opened.ok ? opened.id : '', SESSION_DAY)).rejects.toMatchObject({ status: 404 });
		expect(await auditEvents(t.db, 'access.refused')).toHaveLength(3);
		expect(await auditEvents(t.db, 'outcomes.code_closed')).toHaveLength(0);
	});
});

describe('the public form', () => {
	it('opens with the code in any case, showing only the programme’s name, the date, the booked schools and the statements', async () => {
		const world = await makeOutcomesWorld(t.db);
		const code = await openCode(t.db, world);
		const result = await openPublicForm(t.db, ` ${code.slice(0, 3).toLowerCase()}-${code.slice(3)} `, ADDRESS, minutesLater(1));
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(Object.keys(result.form).sort()).toEqual(['date', 'programmeName', 'questions', 'schools']);
		expect(result.form.date).toBe(SESSION_DATE);
		expect(result.form.schools.map((s) => s.id).sort()).toEqual([world.schoolId, world.otherSchoolId].sort());
		expect(result.form.questions.map((q) => q.id)).toEqual(world.questionIds);
		expect(Object.keys(result.form.questions[0]!).sort()).toEqual(['id', 'wording']);
	});

	it('saves a young person’s answers against the session, and matches their after whatever the case of the code', async () => {
		const world = await makeOutcomesWorld(t.db);
		const code = await openCode(t.db, world);
		expect(await answerPublicForm(t.db, code, values(world, 'star7', 'before', [2, 3]), ADDRESS, minutesLater(5))).toEqual({ ok: true });
		expect(await answerPublicForm(t.db, code, values(world, 'STAR7', 'after', [4, 3]), ADDRESS, minutesLater(90))).toEqual({ ok: true });
		const rows = await t.db
			.selectFrom('outcome_questionnaire')
			.select(['matching_code', 'moment', 'session_id', 'entered_by', 'session_code_id'])
			.orderBy('created_at')
			.execute();
		expect(rows.map((r) => [r.matching_code, r.moment, r.session_id, r.entered_by])).toEqual([
			['STAR7', 'before', world.sessionId, null],
			['STAR7', 'after', world.sessionId, null]
		]);
		const events = await auditEvents(t.db, 'outcomes.public_answered');
		expect(events.map((e) => [e.actor_id, e.address])).toEqual([
			[null, ADDRESS],
			[null, ADDRESS]
		]);
		expect(JSON.stringify(events)).not.toContain('STAR7');
	});

	it('asks for the report figures to be rebuilt after answers are saved, and not after answers refused', async () => {
		const world = await makeOutcomesWorld(t.db);
		const code = await openCode(t.db, world);
		vi.mocked(reportFiguresChanged).mockClear();
		expect((await answerPublicForm(t.db, code, values(world, 'star7', 'before', [2, null]), ADDRESS, minutesLater(5))).ok).toBe(false);
		expect(reportFiguresChanged).not.toHaveBeenCalled();
		expect(await answerPublicForm(t.db, code, values(world, 'star7', 'before', [2, 3]), ADDRESS, minutesLater(5))).toEqual({ ok: true });
		expect(reportFiguresChanged).toHaveBeenCalledTimes(1);
	});

	it('needs every statement answered, and a school booked on the session, keeping nothing otherwise', async () => {
		const world = await makeOutcomesWorld(t.db);
		const code = await openCode(t.db, world);
		const result = await answerPublicForm(t.db, code, values(world, 'star7', 'before', [2, null], 'not-a-school'), ADDRESS, minutesLater(5));
		expect(result).toEqual({
			ok: false,
			code: 'invalid',
			errors: { schoolId: 'Select a school from the list', [answerField(world.questionIds[1])]: 'Select an answer for statement 2' }
		});
		expect(await t.db.selectFrom('outcome_questionnaire').select('id').execute()).toEqual([]);
	});

	it('refuses a code used twice for the same moment', async () => {
		const world = await makeOutcomesWorld(t.db);
		const code = await openCode(t.db, world);
		await answerPublicForm(t.db, code, values(world, 'star7', 'before', [2, 3]), ADDRESS, minutesLater(5));
		const again = await answerPublicForm(t.db, code, values(world, 'Star7', 'before', [5, 5]), ADDRESS, minutesLater(6));
		expect(again).toEqual({
			ok: false,
			code: 'invalid',
			errors: { matchingCode: 'This matching code has already answered the before questions at this session. Check the code, or choose another' }
		});
	});

	it('refuses an expired code, a closed code and a code of a cancelled session, with a clear message', async () => {
		const world = await makeOutcomesWorld(t.db);
		const code = await openCode(t.db, world, '30');
		const answersNow = (at: Date) => answerPublicForm(t.db, code, values(world, 'star7', 'before', [2, 3]), ADDRESS, at);
		expect(await answersNow(minutesLater(29))).toEqual({ ok: true });
		expect(await openPublicForm(t.db, code, ADDRESS, minutesLater(30))).toEqual({
			ok: false,
			code: 'refused',
			reason: 'expired',
			message: 'This session code has expired. Ask the person running the session for a new code.',
			field: 'code'
		});

		const second = await openSessionCode(t.db, world.lead, world.sessionId, '120', minutesLater(31));
		const secondCode = second.ok ? second.code : '';
		await closeSessionCode(t.db, world.lead, world.sessionId, second.ok ? second.id : '', minutesLater(40));
		expect(await answerPublicForm(t.db, secondCode, values(world, 'moon8', 'before', [2, 3]), ADDRESS, minutesLater(41))).toEqual({
			ok: false,
			code: 'refused',
			reason: 'closed',
			message: 'This session code has been closed. Ask the person running the session for a new code.',
			field: 'code'
		});

		const third = await openCode(t.db, world, '120', minutesLater(42));
		await t.db.updateTable('programme_session').set({ status: 'cancelled' }).where('id', '=', world.sessionId).execute();
		expect(await openPublicForm(t.db, third, ADDRESS, minutesLater(43))).toMatchObject({ ok: false, code: 'refused', reason: 'closed' });
		expect(await t.db.selectFrom('outcome_questionnaire').select('id').execute()).toHaveLength(1);
		expect((await auditEvents(t.db, 'outcomes.public_code_refused')).map((e) => e.detail)).toEqual([
			{ reason: 'expired' },
			{ reason: 'closed' },
			{ reason: 'closed' }
		]);
	});

	it('takes no answers once every statement is retired, even with the code still open', async () => {
		const world = await makeOutcomesWorld(t.db);
		const code = await openCode(t.db, world);
		for (const id of world.questionIds) await retireQuestion(t.db, world.lead, world.programmeId, id, minutesLater(1));
		const refusal = {
			ok: false,
			code: 'refused',
			reason: 'closed',
			message: 'This session is not taking answers at the moment. Ask the person running the session.',
			field: 'code'
		};
		expect(await openPublicForm(t.db, code, ADDRESS, minutesLater(2))).toEqual(refusal);
		expect(await answerPublicForm(t.db, code, values(world, 'star7', 'before', [2, 3]), ADDRESS, minutesLater(2))).toEqual(refusal);
		expect(await t.db.selectFrom('outcome_questionnaire').select('id').execute()).toEqual([]);
	});

	it('says a wrong code is wrong, and a badly shaped one is 6 letters and numbers', async () => {
		const world = await makeOutcomesWorld(t.db);
		await openCode(t.db, world);
		expect(await openPublicForm(t.db, 'ZZZZZZ', ADDRESS, minutesLater(1))).toMatchObject({
			ok: false,
			code: 'refused',
			reason: 'unknown',
			message: expect.stringContaining('There is no session with this code')
		});
		expect(await openPublicForm(t.db, 'ZZ', ADDRESS, minutesLater(1))).toMatchObject({
			ok: false,
			code: 'refused',
			reason: 'missing',
			message: expect.stringContaining('6 letters and numbers')
		});
		expect(await openPublicForm(t.db, '', ADDRESS, minutesLater(1))).toEqual({
			ok: false,
			code: 'refused',
			reason: 'missing',
			message: 'Enter the session code',
			field: 'code'
		});
	});

	it(`stops an address after ${ADDRESS_FAILURE_LIMIT} wrong codes in 15 minutes, even with the right code, but not another address`, async () => {
		const world = await makeOutcomesWorld(t.db);
		const code = await openCode(t.db, world, '1440');
		await t.db
			.insertInto('outcome_code_failure')
			.values(Array.from({ length: ADDRESS_FAILURE_LIMIT - 1 }, (_, i) => ({ address: ADDRESS, at: minutesLater(1 + i / 100) })))
			.execute();
		expect((await openPublicForm(t.db, code, ADDRESS, minutesLater(2))).ok).toBe(true);
		expect(await openPublicForm(t.db, 'ZZZZZZ', ADDRESS, minutesLater(2))).toMatchObject({ code: 'refused', reason: 'unknown' });
		// The oldest of the 40 failures was at minute 1: the address waits until minute 16.
		expect(await openPublicForm(t.db, code, ADDRESS, minutesLater(3))).toEqual({
			ok: false,
			code: 'refused',
			reason: 'throttled',
			message: 'Too many wrong session codes have been typed on this network. Wait 13 minutes, then try again.',
			field: 'code'
		});
		expect(await answerPublicForm(t.db, code, values(world, 'star7', 'before', [2, 3]), ADDRESS, minutesLater(3))).toMatchObject({
			code: 'refused',
			reason: 'throttled'
		});
		expect((await openPublicForm(t.db, code, '203.0.113.9', minutesLater(3))).ok).toBe(true);
		expect((await openPublicForm(t.db, code, ADDRESS, minutesLater(16.1))).ok).toBe(true);
	});

	it('stops a code once it has taken a before and an after for every place, and ten more', async () => {
		const world = await makeOutcomesWorld(t.db, '1');
		const code = await openCode(t.db, world);
		for (let i = 0; i < 12; i++) {
			expect(await answerPublicForm(t.db, code, values(world, `CODE${String(i).padStart(2, '0')}`, 'before', [3, 3]), ADDRESS, minutesLater(5))).toEqual({
				ok: true
			});
		}
		expect(await answerPublicForm(t.db, code, values(world, 'CODE99', 'before', [3, 3]), ADDRESS, minutesLater(5))).toMatchObject({
			ok: false,
			code: 'refused',
			reason: 'full'
		});
	});
});
