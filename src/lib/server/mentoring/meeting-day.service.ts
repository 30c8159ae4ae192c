import { insertAuditEvents, type AuditEntry } from '../audit/audit.queries';
import type { Actor } from '../auth/session';
import type { Db } from '../db';
import { hashOf } from '../attendance/offline-sync.service';
import { applyDayLogOnce, auditDayLogRefusal, batchFromJson, type DayLogScope } from '../day-logs/apply-once';
import { UUID } from '../forms';
import { reportFiguresChanged } from '../reports/rollups';
import { invalidField, ok, refused, type Result } from '../result';
import { londonParts } from '../time';
import { formatDay } from '../../format';
import { academicYearLabel, checkMeeting, cohortFinished, logMeeting, managedCohort } from './mentoring.service';
import type { MeetingValues } from './mentoring.schema';
import * as queries from './mentoring.queries';

// A cohort's mentoring meetings logged on the day, on a tablet without signal (issue 12): the
// lead keeps the cohort's pairs on the device (the manifest), logs meetings there, and sends
// them when the connection returns, each with an id the device made, applied once
// (day-logs/apply-once.ts). A meeting is checked as the online form checks it (checkMeeting); a
// pair someone ended meanwhile is shown back as a conflict, not logged. Audit rows carry ids
// and counts, never a name or a note.

/** One pair as the device keeps it: who, and whether it is still running. */
export interface ManifestPair {
	id: string;
	label: string;
	mentor: string;
	mentee: string;
	school: string;
	endedOn: string | null;
	meetings: number;
	lastMetOn: string | null;
}

const pairLabel = (p: { mentor_first_name: string; mentor_last_name: string; mentee_first_name: string; mentee_last_name: string }) =>
	`${p.mentor_first_name} ${p.mentor_last_name} with ${p.mentee_first_name} ${p.mentee_last_name}`;

/** A cohort's day page: its pairs, the running ones first to log meetings for. */
export async function getMeetingDay(db: Db, actor: Actor, programmeId: string, cohortId: string, now = new Date()) {
	const cohort = await managedCohort(db, actor, programmeId, cohortId);
	const pairs: ManifestPair[] = (await queries.listPairs(db, cohort.id)).map((p) => ({
		id: p.id,
		label: pairLabel(p),
		mentor: `${p.mentor_first_name} ${p.mentor_last_name}`,
		mentee: `${p.mentee_first_name} ${p.mentee_last_name}`,
		school: p.mentee_school_name,
		endedOn: p.ended_on,
		meetings: p.meetings,
		lastMetOn: p.last_met_on
	}));
	return { cohort, finished: cohortFinished(cohort.academic_year, now), pairs, today: londonParts(now).date };
}

/** The day page's form, online: a meeting of one of this cohort's pairs, logged as the mentoring page's form logs it. */
export async function logCohortMeeting(db: Db, actor: Actor, programmeId: string, cohortId: string, values: MeetingValues, now = new Date()) {
	const cohort = await managedCohort(db, actor, programmeId, cohortId);
	if (values.pairId !== '' && !(UUID.test(values.pairId) && (await queries.listPairs(db, cohort.id)).some((p) => p.id === values.pairId.toLowerCase()))) {
		return invalidField('pairId', 'Select the mentor and mentee from this cohort’s list');
	}
	return logMeeting(db, actor, programmeId, values, now);
}

/** The cohort as a device keeps it for a day without signal. */
export async function getMeetingDayManifest(db: Db, actor: Actor, programmeId: string, cohortId: string, now = new Date()) {
	const { cohort, pairs } = await getMeetingDay(db, actor, programmeId, cohortId, now);
	return { programmeId, cohortId: cohort.id, academicYear: cohort.academic_year, fetchedAt: now, pairs };
}

export interface MeetingChange {
	clientId: string;
	pairId: string;
	metOn: string;
	minutes: string;
	topics: string[];
	note: string;
}

/** The batch's meetings, checked for shape only, or why it cannot be read. */
export function meetingChangesFromJson(body: unknown): { changes: MeetingChange[] } | { problem: string } {
	const batch = batchFromJson(body, 'meetings');
	if ('problem' in batch) return batch;
	const changes: MeetingChange[] = [];
	for (const c of batch.items) {
		const minutes = typeof c.minutes === 'number' ? String(c.minutes) : c.minutes;
		if (
			typeof c.pairId !== 'string' ||
			!UUID.test(c.pairId) ||
			typeof c.metOn !== 'string' ||
			typeof minutes !== 'string' ||
			!Array.isArray(c.topics) ||
			!c.topics.every((t) => typeof t === 'string') ||
			!(c.note === undefined || typeof c.note === 'string')
		) {
			return { problem: 'A meeting was sent incomplete: reload the page and log it again' };
		}
		changes.push({
			clientId: (c.clientId as string).toLowerCase(),
			pairId: c.pairId.toLowerCase(),
			metOn: c.metOn.trim(),
			minutes: minutes.trim(),
			topics: c.topics as string[],
			note: ((c.note as string | undefined) ?? '').trim()
		});
	}
	return { changes };
}

/** A meeting not logged because its pair ended after the device downloaded the cohort. */
export interface MeetingConflict {
	clientId: string;
	pairId: string;
	message: string;
}

/**
 * Logs the meetings a cohort's day page sent from a device, each client id once. Refused whole,
 * and audited: a batch that cannot be read, a pair not of this cohort, a meeting the online form
 * would refuse (no date, a date in the future or outside the cohort's year, minutes out of
 * range, no topic, a note too long), a finished cohort, a client id reused for a different
 * meeting. A cohort of another programme, or one the actor may not manage, is a 404, audited.
 */
export async function syncMeetings(
	db: Db,
	actor: Actor,
	programmeId: string,
	cohortId: string,
	body: unknown,
	now = new Date()
): Promise<Result<{ results: { clientId: string; outcome: 'saved' | 'conflict'; repeated: boolean }[]; sent: number; conflicts: MeetingConflict[] }>> {
	const cohort = await managedCohort(db, actor, programmeId, cohortId);
	const scope: DayLogScope = { programmeId, kind: 'meeting', entityType: 'mentoring_cohort', entityId: cohort.id };
	const parsed = meetingChangesFromJson(body);
	if ('problem' in parsed) {
		await auditDayLogRefusal(db, actor, scope, 'invalid_batch', 0);
		return refused('invalid_batch', parsed.problem);
	}
	const logged: { menteeId: string; day: string }[] = [];
	const result = await applyDayLogOnce(
		db,
		actor,
		scope,
		parsed.changes,
		(c) => hashOf(actor, cohort.id, 'meeting', c.pairId, c.metOn, c.minutes, [...c.topics].sort(), c.note),
		(trx) => queries.lockCohort(trx, cohort.id),
		async (trx, fresh) => {
			const none = { sent: 0, conflicts: [] as MeetingConflict[], conflicted: new Set<string>() };
			if (fresh.length === 0) return ok(none);
			if (cohortFinished(cohort.academic_year, now)) {
				return refused(
					'cohort_finished',
					`The ${academicYearLabel(cohort.academic_year)} cohort finished on 31 August ${cohort.academic_year + 1}, so meetings can no longer be logged in it`
				);
			}
			const pairs = new Map((await queries.listPairs(trx, cohort.id)).map((p) => [p.id, p]));
			if (fresh.some((c) => !pairs.has(c.pairId))) {
				return refused('not_in_cohort', 'A meeting was logged for a mentor and mentee who are not paired in this cohort: reload the page and log it again');
			}
			const today = londonParts(now).date;
			const checked = [];
			for (const c of fresh) {
				const pair = pairs.get(c.pairId)!;
				// Checked against the cohort's year only: a pair ended since the download is a conflict, below.
				const check = checkMeeting(c, { academic_year: cohort.academic_year, ended_on: null }, today);
				if (!check.ok) {
					const [field, message] = Object.entries(check.errors)[0]!;
					return refused(`invalid_${field}`, `The meeting of ${pairLabel(pair)}${c.metOn ? ` on ${c.metOn}` : ''}: ${message}`);
				}
				checked.push({ change: c, pair, minutes: check.minutes, topics: check.topics });
			}
			const conflicts: MeetingConflict[] = [];
			const audits: AuditEntry[] = [];
			for (const { change, pair, minutes, topics } of checked) {
				if (pair.ended_on) {
					conflicts.push({
						clientId: change.clientId,
						pairId: pair.id,
						message: `${pairLabel(pair)}: the pair ended on ${formatDay(pair.ended_on)}, so the meeting on ${formatDay(change.metOn)} was not logged`
					});
					continue;
				}
				const { id } = await queries.insertMeeting(trx, {
					pair_id: pair.id,
					met_on: change.metOn,
					minutes,
					topics,
					note: change.note === '' ? null : change.note,
					recorded_by: actor.id
				});
				audits.push({
					actorId: actor.id,
					action: 'mentoring.meeting_logged',
					entityType: 'mentoring_meeting',
					entityId: id,
					// The note is free text about a young person: it stays out of the audit log.
					detail: { pairId: pair.id, cohortId: cohort.id, minutes, topics: topics.length, hasNote: change.note !== '', offline: true },
					address: actor.address
				});
				logged.push({ menteeId: pair.mentee_id, day: change.metOn });
			}
			await insertAuditEvents(trx, audits);
			return ok({ sent: audits.length, conflicts, conflicted: new Set(conflicts.map((c) => c.clientId)) });
		},
		now
	);
	if (result.ok && logged.length > 0) reportFiguresChanged({ youngPeople: logged.map((l) => ({ id: l.menteeId, day: l.day })) });
	return result;
}
