import { describe, expect, it } from 'vitest';
import { saveHeadcounts } from '../../../src/lib/server/attendance/attendance.service';
import { workshopFeedbackTotals } from '../../../src/lib/server/workshops/workshop-feedback.queries';
import { distributionOf, summarise } from '../../../src/lib/server/workshops/workshop-feedback.rules';
import type { FeedbackValues } from '../../../src/lib/server/workshops/workshop-feedback.schema';
import { getWorkshopFeedback, saveWorkshopFeedback } from '../../../src/lib/server/workshops/workshop-feedback.service';
import { makeContact, createLedProgramme, scheduleLeadSession } from '../../support/booking-world';
import { useTestDatabase } from '../../support/database';
import { BEFORE_START, makeHeadcountSession, makeNamedSession, STARTED } from '../../support/attendance-world';
import { auditEvents, makeActor } from '../../support/factories';

const t = useTestDatabase();

const none = ['', '', '', '', ''];
const values = (before: string[], after: string[] = none): FeedbackValues => ({ before, after });
const stored = (sessionId: string) =>
	t.db
		.selectFrom('workshop_feedback')
		.select(['moment', 'score', 'count'])
		.where('session_id', '=', sessionId)
		.orderBy('moment', 'desc')
		.orderBy('score')
		.execute();

describe('summarise', () => {
	it('counts the answers and takes their mean', () => {
		expect(summarise([1, 0, 2, 0, 1])).toEqual({ counts: [1, 0, 2, 0, 1], answered: 4, mean: 3 });
		expect(summarise([2, 3, 0, 0, 0]).mean).toBeCloseTo(1.6, 10);
		expect(summarise([0, 1, 0, 0, 2]).mean).toBeCloseTo(4, 10);
	});

	it('has no mean when nobody answered, and refuses anything but five counts', () => {
		expect(summarise([0, 0, 0, 0, 0])).toEqual({ counts: [0, 0, 0, 0, 0], answered: 0, mean: null });
		expect(() => summarise([1, 2, 3])).toThrow();
	});

	it('reads stored rows, missing scores as 0, and nothing stored as not asked', () => {
		expect(
			distributionOf([
				{ score: 5, count: 2 },
				{ score: 3, count: 2 }
			])
		).toEqual({ counts: [0, 0, 2, 0, 2], answered: 4, mean: 4 });
		expect(distributionOf([])).toBeNull();
	});
});

describe('saving a workshop’s answers', () => {
	it('saves the answers before and after, shows their distribution and mean, and audits counts only', async () => {
		const world = await makeHeadcountSession(t.db);

		const result = await saveWorkshopFeedback(t.db, world.lead, world.sessionId, values(['2', '3', '', '', ''], ['', '', '1', '3', '1']), STARTED);

		expect(result).toEqual({ ok: true, changed: 2 });
		const feedback = await getWorkshopFeedback(t.db, world.lead, world.sessionId);
		expect(feedback.before).toEqual({ counts: [2, 3, 0, 0, 0], answered: 5, mean: 1.6 });
		expect(feedback.after).toEqual({ counts: [0, 0, 1, 3, 1], answered: 5, mean: 4 });
		expect(feedback.values).toEqual({
			before: ['2', '3', '0', '0', '0'],
			after: ['0', '0', '1', '3', '1'],
			was: { before: '2 3 0 0 0', after: '0 0 1 3 1' }
		});
		expect((await auditEvents(t.db, 'workshop_feedback.recorded')).map((e) => [e.entity_id, e.detail])).toEqual([
			[world.sessionId, { moment: 'before', from: null, to: [2, 3, 0, 0, 0] }],
			[world.sessionId, { moment: 'after', from: null, to: [0, 0, 1, 3, 1] }]
		]);
	});

	it('keeps a moment not yet asked as not asked', async () => {
		const world = await makeHeadcountSession(t.db);
		await saveWorkshopFeedback(t.db, world.lead, world.sessionId, values(['0', '1', '4', '0', '0']), STARTED);
		const feedback = await getWorkshopFeedback(t.db, world.lead, world.sessionId);
		expect(feedback.after).toBeNull();
		expect(feedback.values.after).toEqual(none);
		expect(await stored(world.sessionId)).toHaveLength(5);
	});

	it('refuses counts that are not whole numbers, each beside its box, saving nothing', async () => {
		const world = await makeHeadcountSession(t.db);

		const result = await saveWorkshopFeedback(t.db, world.lead, world.sessionId, values(['2', 'x', '-1', '3.5', ''], ['1', '', '', '', '1000000']), STARTED);

		expect(result).toEqual({
			ok: false,
			code: 'invalid',
			errors: {
				'before.2': 'Enter how many answered 2 before the workshop as a whole number, like 4',
				'before.3': 'Enter how many answered 3 before the workshop as a whole number, like 4',
				'before.4': 'Enter how many answered 4 before the workshop as a whole number, like 4',
				'after.5': 'Enter how many answered 5 after the workshop as a whole number, like 4'
			}
		});
		expect(await stored(world.sessionId)).toEqual([]);
	});

	it('refuses answers adding up to more than the parents and carers counted, saving neither moment', async () => {
		const world = await makeHeadcountSession(t.db);
		await saveHeadcounts(
			t.db,
			world.lead,
			world.sessionId,
			[
				{ schoolId: world.schoolId, yearGroup: 'parents', count: 7, basedOn: null },
				{ schoolId: world.otherSchoolId, yearGroup: 'parents', count: 3, basedOn: null },
				// Pupils at the workshop are not parents: they do not raise the limit.
				{ schoolId: world.schoolId, yearGroup: 'Y8', count: 9, basedOn: null }
			],
			STARTED
		);

		const over = await saveWorkshopFeedback(t.db, world.lead, world.sessionId, values(['1', '2', '3', '4', '1'], ['0', '0', '2', '4', '4']), STARTED);

		expect(over).toEqual({
			ok: false,
			code: 'invalid',
			errors: { before: 'The answers before the workshop add up to 11: more than the 10 parents and carers counted at this workshop' }
		});
		expect(await stored(world.sessionId)).toEqual([]);
		expect(await saveWorkshopFeedback(t.db, world.lead, world.sessionId, values(['1', '2', '3', '4', '0'], ['0', '0', '2', '4', '4']), STARTED)).toEqual({
			ok: true,
			changed: 2
		});
		expect((await getWorkshopFeedback(t.db, world.lead, world.sessionId)).parents).toBe(10);
	});

	it('refuses a workshop that has not started and a cancelled one', async () => {
		const world = await makeHeadcountSession(t.db);
		const answers = values(['1', '1', '1', '1', '1']);

		expect(await saveWorkshopFeedback(t.db, world.lead, world.sessionId, answers, BEFORE_START)).toMatchObject({
			ok: false,
			code: 'refused',
			reason: 'not_started',
			message: 'Attendance can be recorded once the session has started'
		});
		await t.db.updateTable('programme_session').set({ status: 'cancelled' }).where('id', '=', world.sessionId).execute();
		expect(await saveWorkshopFeedback(t.db, world.lead, world.sessionId, answers, STARTED)).toMatchObject({ ok: false, code: 'refused', reason: 'cancelled' });
		expect(await stored(world.sessionId)).toEqual([]);
	});

	it('replaces the answers on a second save, clears a moment emptied, and audits only what changed', async () => {
		const world = await makeHeadcountSession(t.db);
		await saveWorkshopFeedback(t.db, world.lead, world.sessionId, values(['1', '2', '0', '0', '0'], ['0', '0', '1', '2', '0']), STARTED);

		expect(await saveWorkshopFeedback(t.db, world.lead, world.sessionId, values(['1', '2', '0', '0', '0'], ['0', '0', '0', '2', '1']), STARTED)).toEqual({
			ok: true,
			changed: 1
		});
		expect(await saveWorkshopFeedback(t.db, world.lead, world.sessionId, values(['1', '2', '0', '0', '0'], ['0', '0', '0', '2', '1']), STARTED)).toEqual({
			ok: true,
			changed: 0
		});
		expect(await saveWorkshopFeedback(t.db, world.lead, world.sessionId, values(none, ['0', '0', '0', '2', '1']), STARTED)).toEqual({ ok: true, changed: 1 });

		expect(await stored(world.sessionId)).toEqual([1, 2, 3, 4, 5].map((score) => ({ moment: 'after', score, count: [0, 0, 0, 2, 1][score - 1] })));
		const audit = (await auditEvents(t.db)).filter((e) => e.action.startsWith('workshop_feedback.'));
		expect(audit.map((e) => [e.action, e.detail])).toEqual([
			['workshop_feedback.recorded', { moment: 'before', from: null, to: [1, 2, 0, 0, 0] }],
			['workshop_feedback.recorded', { moment: 'after', from: null, to: [0, 0, 1, 2, 0] }],
			['workshop_feedback.changed', { moment: 'after', from: [0, 0, 1, 2, 0], to: [0, 0, 0, 2, 1] }],
			['workshop_feedback.cleared', { moment: 'before', from: [1, 2, 0, 0, 0], to: null }]
		]);
	});

	it('is a 404, audited, for a school contact, another programme’s lead and a session that is not a workshop', async () => {
		const world = await makeHeadcountSession(t.db);
		const contact = await makeContact(t.db);
		const otherLead = (await createLedProgramme(t.db)).lead;
		const named = await makeNamedSession(t.db);

		await expect(getWorkshopFeedback(t.db, contact, world.sessionId)).rejects.toMatchObject({ status: 404 });
		await expect(saveWorkshopFeedback(t.db, otherLead, world.sessionId, values(none), STARTED)).rejects.toMatchObject({ status: 404 });
		await expect(getWorkshopFeedback(t.db, named.lead, named.sessionId)).rejects.toMatchObject({ status: 404 });
		expect((await auditEvents(t.db, 'access.refused')).map((e) => [e.actor_id, e.entity_id])).toEqual([
			[contact.id, world.sessionId],
			[otherLead.id, world.sessionId],
			[named.lead.id, named.sessionId]
		]);
	});
});

describe('workshopFeedbackTotals', () => {
	it('gives each workshop in the period its parents by school and its answers, leaving out cancelled ones and other programmes', async () => {
		const world = await makeHeadcountSession(t.db);
		await saveHeadcounts(
			t.db,
			world.lead,
			world.sessionId,
			[
				{ schoolId: world.schoolId, yearGroup: 'parents', count: 6, basedOn: null },
				{ schoolId: world.otherSchoolId, yearGroup: 'parents', count: 2, basedOn: null }
			],
			STARTED
		);
		await saveWorkshopFeedback(t.db, world.lead, world.sessionId, values(['3', '3', '1', '0', '0'], ['0', '0', '1', '3', '4']), STARTED);
		const later = await scheduleLeadSession(t.db, world, { date: '2030-04-10', yearGroups: ['Y8', 'parents'] });
		const cancelled = await scheduleLeadSession(t.db, world, { date: '2030-04-17', yearGroups: ['Y8', 'parents'] });
		await t.db.updateTable('programme_session').set({ status: 'cancelled' }).where('id', '=', cancelled).execute();
		await scheduleLeadSession(t.db, world, { date: '2030-09-10', bookingOpens: '2030-08-01', bookingCloses: '2030-09-01', yearGroups: ['Y8', 'parents'] });
		const otherWorkshops = await createLedProgramme(t.db, { shape: 'workshop', registerKind: 'headcount', yearGroups: ['parents'] });
		const other = await scheduleLeadSession(t.db, otherWorkshops, { yearGroups: ['parents'] });
		const notAWorkshop = await makeNamedSession(t.db);

		const period = { from: new Date('2030-03-01T00:00:00Z'), to: new Date('2030-09-01T00:00:00Z') };
		const totals = await workshopFeedbackTotals(t.db, { ...period, programmeIds: [world.programmeId] });

		expect(totals).toEqual([
			{
				sessionId: world.sessionId,
				programmeId: world.programmeId,
				startsAt: new Date('2030-03-20T09:30:00Z'),
				schools: expect.arrayContaining([
					{ schoolId: world.schoolId, parents: 6 },
					{ schoolId: world.otherSchoolId, parents: 2 }
				]),
				parents: 8,
				before: { counts: [3, 3, 1, 0, 0], answered: 7, mean: 12 / 7 },
				after: { counts: [0, 0, 1, 3, 4], answered: 8, mean: 35 / 8 }
			},
			{ sessionId: later, programmeId: world.programmeId, startsAt: new Date('2030-04-10T08:30:00Z'), schools: [], parents: null, before: null, after: null }
		]);
		const everyProgramme = await workshopFeedbackTotals(t.db, period);
		expect(everyProgramme.map((s) => s.sessionId).sort()).toEqual([world.sessionId, later, other].sort());
		expect(everyProgramme.map((s) => s.sessionId)).not.toContain(notAWorkshop.sessionId);
		expect(await workshopFeedbackTotals(t.db, { ...period, programmeIds: [] })).toEqual([]);
	});
});

describe('two people on one workshop’s answers', () => {
	/** The form as a page opened now would send it: `before` and `after` typed over what it showed. */
	const opened = async (sessionId: string, actor: Parameters<typeof getWorkshopFeedback>[1]) => (await getWorkshopFeedback(t.db, actor, sessionId)).values.was;

	it('writes only the moment its user changed, leaving the one someone else saved since', async () => {
		const world = await makeHeadcountSession(t.db);
		const admin = await makeActor(t.db);
		const shownToLead = await opened(world.sessionId, world.lead);
		const shownToAdmin = await opened(world.sessionId, admin);

		// The lead types the answers before; the admin, on a page opened at the same time, those after.
		expect(await saveWorkshopFeedback(t.db, world.lead, world.sessionId, { ...values(['1', '2', '0', '0', '0']), was: shownToLead }, STARTED)).toEqual({
			ok: true,
			changed: 1
		});
		expect(await saveWorkshopFeedback(t.db, admin, world.sessionId, { ...values(none, ['0', '0', '1', '1', '1']), was: shownToAdmin }, STARTED)).toEqual({
			ok: true,
			changed: 1
		});

		const feedback = await getWorkshopFeedback(t.db, admin, world.sessionId);
		expect(feedback.before?.counts).toEqual([1, 2, 0, 0, 0]);
		expect(feedback.after?.counts).toEqual([0, 0, 1, 1, 1]);
		expect(await auditEvents(t.db, 'workshop_feedback.cleared')).toEqual([]);
	});

	it('refuses a change to a moment someone else changed since the page was opened, saving nothing, and takes it when sent again', async () => {
		const world = await makeHeadcountSession(t.db);
		const admin = await makeActor(t.db);
		await saveWorkshopFeedback(t.db, world.lead, world.sessionId, values(['1', '2', '0', '0', '0']), STARTED);
		const shown = await opened(world.sessionId, admin);

		expect(await saveWorkshopFeedback(t.db, world.lead, world.sessionId, { ...values(['1', '2', '2', '0', '0']), was: shown }, STARTED)).toMatchObject({
			ok: true
		});
		const second = await saveWorkshopFeedback(
			t.db,
			admin,
			world.sessionId,
			{ ...values(['0', '3', '0', '0', '0'], ['0', '0', '0', '2', '1']), was: shown },
			STARTED
		);

		expect(second).toEqual({
			ok: false,
			code: 'conflict',
			reason: 'changed_since',
			message: expect.stringMatching(/^The answers were changed by someone else, after you opened this page: yours have not been saved\./),
			field: 'feedback',
			errors: { before: 'Before the workshop: saved now as ‘1, 2, 2, 0, 0’ (how many answered 1 to 5)' }
		});
		// All or nothing: the admin's answers after, which nobody else changed, are not saved either.
		expect((await getWorkshopFeedback(t.db, admin, world.sessionId)).after).toBeNull();

		// Sent again on what is saved now, the admin's answers replace the lead's knowingly.
		const now = await opened(world.sessionId, admin);
		expect(
			await saveWorkshopFeedback(t.db, admin, world.sessionId, { ...values(['0', '3', '0', '0', '0'], ['0', '0', '0', '2', '1']), was: now }, STARTED)
		).toEqual({
			ok: true,
			changed: 2
		});
		const feedback = await getWorkshopFeedback(t.db, admin, world.sessionId);
		expect([feedback.before?.counts, feedback.after?.counts]).toEqual([
			[0, 3, 0, 0, 0],
			[0, 0, 0, 2, 1]
		]);
	});
});
