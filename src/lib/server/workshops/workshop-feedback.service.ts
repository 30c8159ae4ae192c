import { withTransaction, type Db } from '../db';
import { insertAuditEvents, type AuditEntry } from '../audit/audit.queries';
import { refuse } from '../auth/policy';
import type { Actor } from '../auth/session';
import { feedbackMoments, type FeedbackMoment } from '../db/schema';
import { reportFiguresChanged } from '../reports/rollups';
import { hasErrors, invalid, ok, type FieldErrors, type Result } from '../result';
import { lockSession } from '../sessions/sessions.queries';
import { getAttendanceSession } from '../attendance/attendance.service';
import { MAX_HEADCOUNT, timingRefusal } from '../attendance/taking-rules';
import { distributionOf, SCORES, summarise } from './workshop-feedback.rules';
import * as queries from './workshop-feedback.queries';
import { countsText, feedbackField, type FeedbackValues } from './workshop-feedback.schema';

// The parents' anonymous confidence question at workshop-shaped sessions, entered by the
// programme's lead as how many answered each score: no parent or child is ever named, and
// the audit log keeps counts only.

const target = (entityId?: string) => ({ entityType: 'session', entityId });

export const momentLabels: Record<FeedbackMoment, string> = { before: 'before the workshop', after: 'after the workshop' };
const momentNames: Record<FeedbackMoment, string> = { before: 'Before the workshop', after: 'After the workshop' };

/** A moment's counts as saved now, for the message beside it: "saved now as ‘0, 2, 5, 3, 1’ (how many answered 1 to 5)". */
const savedNow = (counts: readonly number[] | null) =>
	counts ? `saved now as ‘${counts.join(', ')}’ (how many answered 1 to 5)` : 'saved now as not asked (no answers)';

/** A workshop session whose attendance the actor may take; any other session is a 404. */
async function workshopSession(db: Db, actor: Actor, sessionId: string) {
	const session = await getAttendanceSession(db, actor, sessionId);
	return session.shape === 'workshop' ? session : refuse(db, actor, target(sessionId));
}

/** The answers saved for a workshop, before and after, and the parents and carers counted there. */
export async function getWorkshopFeedback(db: Db, actor: Actor, sessionId: string) {
	const session = await workshopSession(db, actor, sessionId);
	const rows = await queries.listFeedback(db, sessionId);
	const before = distributionOf(rows.filter((r) => r.moment === 'before'));
	const after = distributionOf(rows.filter((r) => r.moment === 'after'));
	const asText = (d: typeof before) => (d ? d.counts.map(String) : SCORES.map(() => ''));
	return {
		session,
		parents: await queries.findParentsHeadcount(db, sessionId),
		before,
		after,
		values: {
			before: asText(before),
			after: asText(after),
			was: { before: countsText(before?.counts), after: countsText(after?.counts) }
		} satisfies FeedbackValues
	};
}

/**
 * Saves both moments' counts at once. A moment whose five boxes are all empty has not been
 * asked (any counts saved for it are cleared); within a moment that has answers, an empty box
 * is 0. Each moment's answers cannot add up to more than the parents and carers counted at
 * the workshop, when they have been counted. All or nothing; changed moments are audited.
 * With `values.was` (each moment as the page showed it), only the moments the user changed
 * are written, and one someone else changed since is refused rather than written over.
 */
export async function saveWorkshopFeedback(
	db: Db,
	actor: Actor,
	sessionId: string,
	values: FeedbackValues,
	now = new Date()
): Promise<Result<{ changed: number }>> {
	await workshopSession(db, actor, sessionId);
	const result = await withTransaction(db, async (trx) => {
		// The session row is locked by headcount saves too, so the parents counted cannot change
		// between the check and the write.
		const locked = await lockSession(trx, sessionId);
		const refusal = timingRefusal(locked!, now);
		if (refusal) return refusal;

		const errors: FieldErrors = {};
		const wanted = new Map<FeedbackMoment, number[] | null>();
		for (const moment of feedbackMoments) {
			const texts = values[moment] ?? [];
			if (texts.every((text) => text === '')) {
				wanted.set(moment, null);
				continue;
			}
			const counts = SCORES.map((score, i) => {
				const text = texts[i] ?? '';
				if (text === '') return 0;
				const n = /^\d{1,6}$/.test(text) ? Number(text) : Number.NaN;
				if (!(n <= MAX_HEADCOUNT)) errors[feedbackField(moment, score)] = `Enter how many answered ${score} ${momentLabels[moment]} as a whole number, like 4`;
				return n;
			});
			wanted.set(moment, counts);
		}
		if (hasErrors(errors)) return invalid(errors);

		const saved = await queries.listFeedback(trx, sessionId);
		const savedCounts = new Map(feedbackMoments.map((moment) => [moment, distributionOf(saved.filter((r) => r.moment === moment))?.counts ?? null]));
		// Two people on one form: a moment its user left as the page showed it is not theirs to
		// write (someone else may have saved it since); one they changed is checked against what
		// the page showed, and refused, with nothing saved, if someone else has changed it since.
		const changedSince: FieldErrors = {};
		const writes = feedbackMoments.filter((moment) => {
			const shown = values.was?.[moment];
			if (shown === undefined) return true;
			const mine = countsText(wanted.get(moment));
			if (mine === shown) return false;
			const now = savedCounts.get(moment) ?? null;
			if (countsText(now) !== shown && countsText(now) !== mine) changedSince[moment] = `${momentNames[moment]}: ${savedNow(now)}`;
			return true;
		});
		if (hasErrors(changedSince)) {
			return {
				ok: false as const,
				code: 'conflict' as const,
				reason: 'changed_since',
				message:
					'The answers were changed by someone else, after you opened this page: yours have not been saved. What is saved now is shown beside each moment where it differs from yours, and in the table above. Save again to replace it with yours.',
				field: 'feedback',
				errors: changedSince
			};
		}

		const parents = await queries.findParentsHeadcount(trx, sessionId);
		if (parents !== null) {
			for (const moment of writes) {
				const answered = summarise(wanted.get(moment) ?? [0, 0, 0, 0, 0]).answered;
				if (answered > parents) {
					errors[moment] = `The answers ${momentLabels[moment]} add up to ${answered}: more than the ${parents} parents and carers counted at this workshop`;
				}
			}
			if (hasErrors(errors)) return invalid(errors);
		}

		const audits: AuditEntry[] = [];
		for (const moment of writes) {
			const from = savedCounts.get(moment) ?? null;
			const to = wanted.get(moment)!;
			if (JSON.stringify(from) === JSON.stringify(to)) continue;
			if (to === null) await queries.deleteMoment(trx, sessionId, moment);
			else await queries.upsertMoment(trx, sessionId, moment, to, actor.id, now);
			audits.push({
				actorId: actor.id,
				action: from === null ? 'workshop_feedback.recorded' : to === null ? 'workshop_feedback.cleared' : 'workshop_feedback.changed',
				...target(sessionId),
				detail: { moment, from, to },
				address: actor.address
			});
		}
		await insertAuditEvents(trx, audits);
		return ok({ changed: audits.length });
	});
	if (result.ok) reportFiguresChanged({});
	return result;
}
