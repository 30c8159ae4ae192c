import { insertAuditEvents, type AuditEntry } from '../audit/audit.queries';
import type { Actor } from '../auth/session';
import { withTransaction, type Db } from '../db';
import { awardChallenges, type AwardChallenge } from '../db/schema';
import { hashOf } from '../attendance/offline-sync.service';
import { applyDayLogOnce, auditDayLogRefusal, batchFromJson, type DayLogScope } from '../day-logs/apply-once';
import { UUID } from '../forms';
import { reportFiguresChanged } from '../reports/rollups';
import { hasErrors, invalid, ok, refused, type FieldErrors, type Result } from '../result';
import { isRealDate, londonParts } from '../time';
import { challengeNames } from './awards.rules';
import { requireGroup } from './awards.service';
import * as queries from './awards.queries';

// A John Muir Award group's day, logged on the day (issue 12): one date, the challenges it
// served, and who came, for the whole group at once. Online it is a plain form; on a tablet
// without signal the group is kept on the device (the manifest, with each day's version), the
// day is logged there and sent when the connection returns, one change per participant, each
// with an id the device made, applied once (day-logs/apply-once.ts). A day someone else logged
// or changed since the download comes back as a conflict, not an overwrite. Audit rows carry
// ids only.

export interface ManifestParticipant {
	id: string;
	name: string;
	school: string;
	/** Signed off: no more days can be logged for them. */
	achievedOn: string | null;
	days: { day: string; challenges: AwardChallenge[]; version: number }[];
}

/** The group's day page, and what a device keeps of it: who is in the group, with the days logged and their versions. */
export async function getAwardDay(db: Db, actor: Actor, programmeId: string, groupId: string, now = new Date()) {
	const { group } = await requireGroup(db, actor, programmeId, groupId);
	const days = await queries.listDayVersionsOfGroup(db, group.id);
	const participants: ManifestParticipant[] = (await queries.listParticipants(db, group.id)).map((p) => ({
		id: p.id,
		name: `${p.first_name} ${p.last_name}`,
		school: p.school_name,
		achievedOn: p.achieved_on,
		days: days.filter((d) => d.award_participant_id === p.id).map((d) => ({ day: d.day, challenges: d.challenges, version: d.version }))
	}));
	return { group: { id: group.id, name: group.name }, participants, today: londonParts(now).date };
}

export async function getAwardDayManifest(db: Db, actor: Actor, programmeId: string, groupId: string, now = new Date()) {
	const { group, participants } = await getAwardDay(db, actor, programmeId, groupId, now);
	return { programmeId, groupId: group.id, fetchedAt: now, participants };
}

export interface GroupDayValues {
	day: string;
	challenges: string[];
	participantIds: string[];
}

/** A date that is real and not in the future, or why not. */
function dayProblem(day: string, today: string): string | undefined {
	if (day === '') return 'Enter the date of the day';
	if (!isRealDate(day)) return 'The date must be a real date, like 2019-05-11';
	if (day > today) return 'The date must be today or in the past';
	return undefined;
}

/** The challenges chosen, in the award's order, or undefined when none or one not on the list. */
function challengesOf(values: readonly string[]): AwardChallenge[] | undefined {
	const chosen = awardChallenges.filter((c) => values.includes(c));
	return chosen.length === 0 || chosen.length !== new Set(values).size ? undefined : chosen;
}

/**
 * The day page's form, online: logs the day for everyone ticked, replacing the challenges of a
 * day already logged for any of them (as the group page's form does for one). Nothing is saved
 * unless all of it can be.
 */
export async function logGroupDay(
	db: Db,
	actor: Actor,
	programmeId: string,
	groupId: string,
	values: GroupDayValues,
	now = new Date()
): Promise<Result<{ logged: number }>> {
	const { group } = await requireGroup(db, actor, programmeId, groupId);
	const errors: FieldErrors = {};
	const day = values.day.trim();
	const problem = dayProblem(day, londonParts(now).date);
	if (problem) errors.day = problem;
	const challenges = challengesOf(values.challenges);
	if (!challenges) errors.challenges = 'Select the challenges the day served';
	const participants = new Map((await queries.listParticipants(db, group.id)).map((p) => [p.id, p]));
	const chosen = [...new Set(values.participantIds)];
	if (chosen.length === 0) errors.participantIds = 'Select who took part in the day';
	else if (chosen.some((id) => !participants.has(id))) errors.participantIds = 'Select people from the group’s list';
	else if (chosen.some((id) => participants.get(id)!.achieved_on))
		errors.participantIds = 'Someone ticked has had their award signed off: no more days can be logged for them';
	if (hasErrors(errors)) return invalid(errors);
	await withTransaction(db, async (trx) => {
		const audits: AuditEntry[] = [];
		for (const id of chosen) {
			const inserted = await queries.upsertDay(trx, { award_participant_id: id, day, challenges: challenges!, recorded_by: actor.id });
			audits.push({
				actorId: actor.id,
				action: inserted ? 'award.day_logged' : 'award.day_changed',
				entityType: 'award_participant',
				entityId: id,
				detail: { day, challenges, groupId: group.id },
				address: actor.address
			});
		}
		await insertAuditEvents(trx, audits);
	});
	reportFiguresChanged({ youngPeople: chosen.map((id) => ({ id: participants.get(id)!.young_person_id, day })) });
	return ok({ logged: chosen.length });
}

export interface AwardDayChange {
	clientId: string;
	participantId: string;
	day: string;
	challenges: string[];
	basedOn: number | null;
}

/** The batch's days, checked for shape only, or why it cannot be read. */
export function awardDayChangesFromJson(body: unknown): { changes: AwardDayChange[] } | { problem: string } {
	const batch = batchFromJson(body, 'days');
	if ('problem' in batch) return batch;
	const changes: AwardDayChange[] = [];
	for (const c of batch.items) {
		if (
			typeof c.participantId !== 'string' ||
			!UUID.test(c.participantId) ||
			typeof c.day !== 'string' ||
			!Array.isArray(c.challenges) ||
			!c.challenges.every((x) => typeof x === 'string') ||
			!(c.basedOn === null || typeof c.basedOn === 'number')
		) {
			return { problem: 'A day was sent incomplete: reload the page and log it again' };
		}
		changes.push({
			clientId: (c.clientId as string).toLowerCase(),
			participantId: c.participantId.toLowerCase(),
			day: c.day.trim(),
			challenges: c.challenges as string[],
			basedOn: c.basedOn
		});
	}
	return { changes };
}

/** A day not saved because someone else logged, changed or signed off first: theirs, and what was to replace it. */
export interface AwardDayConflict {
	clientId: string;
	participantId: string;
	name: string;
	day: string;
	message: string;
	/** The day as it is now (absent when the award was signed off): "use yours" is a change based on its version. */
	theirs?: { challenges: AwardChallenge[]; by: string; version: number };
	yours: AwardChallenge[];
}

const challengeList = (cs: readonly AwardChallenge[]) => cs.map((c) => challengeNames[c]).join(', ');

/**
 * Logs the days a group's day page sent from a device, each client id once. Refused whole, and
 * audited: a batch that cannot be read, someone not in this group, a date that is not real or
 * is in the future, no challenge or one not on the list, the same person's day twice, a version
 * the day never had, a client id reused for a different change. A day someone else logged or
 * changed since the device's download, or a participant signed off meanwhile, is a conflict. A
 * group of another programme, or one the actor may not manage, is a 404, audited.
 */
export async function syncAwardDays(
	db: Db,
	actor: Actor,
	programmeId: string,
	groupId: string,
	body: unknown,
	now = new Date()
): Promise<Result<{ results: { clientId: string; outcome: 'saved' | 'conflict'; repeated: boolean }[]; sent: number; conflicts: AwardDayConflict[] }>> {
	const { group } = await requireGroup(db, actor, programmeId, groupId);
	const scope: DayLogScope = { programmeId, kind: 'award_day', entityType: 'award_group', entityId: group.id };
	const parsed = awardDayChangesFromJson(body);
	if ('problem' in parsed) {
		await auditDayLogRefusal(db, actor, scope, 'invalid_batch', 0);
		return refused('invalid_batch', parsed.problem);
	}
	const logged: { id: string; day: string }[] = [];
	const result = await applyDayLogOnce(
		db,
		actor,
		scope,
		parsed.changes,
		(c) => hashOf(actor, group.id, 'award_day', c.participantId, c.day, [...c.challenges].sort(), c.basedOn),
		(trx) => queries.lockAwardGroup(trx, group.id),
		async (trx, fresh) => {
			const none = { sent: 0, conflicts: [] as AwardDayConflict[], conflicted: new Set<string>() };
			if (fresh.length === 0) return ok(none);
			const participants = new Map((await queries.listParticipants(trx, group.id)).map((p) => [p.id, p]));
			if (fresh.some((c) => !participants.has(c.participantId))) {
				return refused('not_in_group', 'A day was logged for someone who is not in this group: reload the page and log it again');
			}
			if (new Set(fresh.map((c) => `${c.participantId}/${c.day}`)).size !== fresh.length) {
				return refused('duplicate', 'The same day was logged twice for one person: reload the page and log it again');
			}
			const days = new Map((await queries.listDayVersionsOfGroup(trx, group.id)).map((d) => [`${d.award_participant_id}/${d.day}`, d]));
			const today = londonParts(now).date;
			const checked = [];
			for (const c of fresh) {
				const p = participants.get(c.participantId)!;
				const who = `${p.first_name} ${p.last_name}`;
				const problem = dayProblem(c.day, today);
				if (problem) return refused('invalid_day', `The day logged for ${who}: ${problem}`);
				const challenges = challengesOf(c.challenges);
				if (!challenges) return refused('invalid_challenges', `The day logged for ${who} on ${c.day}: select the challenges the day served`);
				const current = days.get(`${c.participantId}/${c.day}`);
				if (c.basedOn !== null && !(Number.isInteger(c.basedOn) && c.basedOn >= 1 && c.basedOn <= (current?.version ?? 0))) {
					return refused('future_version', 'A day was sent as changed from a version it never had: reload the page and log it again');
				}
				checked.push({ change: c, participant: p, who, challenges, current });
			}
			const conflicts: AwardDayConflict[] = [];
			const audits: AuditEntry[] = [];
			for (const { change, participant, who, challenges, current } of checked) {
				const conflict = (message: string) =>
					conflicts.push({
						clientId: change.clientId,
						participantId: participant.id,
						name: who,
						day: change.day,
						message,
						theirs:
							current && !participant.achieved_on ? { challenges: current.challenges, by: current.recorded_by_name, version: current.version } : undefined,
						yours: challenges
					});
				if (participant.achieved_on) {
					conflict(`${who}’s award was signed off on ${participant.achieved_on}, so the day on ${change.day} was not logged`);
					continue;
				}
				// Already as asked (sent from two devices, or logged at the desk the same): nothing to change.
				if (current && challengeList(current.challenges) === challengeList(challenges)) continue;
				const written =
					current?.version === change.basedOn || (current === undefined && change.basedOn === null)
						? await queries.saveDayBasedOn(trx, { award_participant_id: participant.id, day: change.day, challenges, recorded_by: actor.id }, change.basedOn)
						: false;
				if (!written) {
					conflict(
						current
							? `${current.recorded_by_name} logged ${who}’s day on ${change.day} as ${challengeList(current.challenges)} before yours arrived (${challengeList(challenges)})`
							: `Someone logged ${who}’s day on ${change.day} before yours arrived`
					);
					continue;
				}
				audits.push({
					actorId: actor.id,
					action: current ? 'award.day_changed' : 'award.day_logged',
					entityType: 'award_participant',
					entityId: participant.id,
					detail: { day: change.day, challenges, groupId: group.id, offline: true },
					address: actor.address
				});
				logged.push({ id: participant.young_person_id, day: change.day });
			}
			await insertAuditEvents(trx, audits);
			return ok({ sent: audits.length, conflicts, conflicted: new Set(conflicts.map((c) => c.clientId)) });
		},
		now
	);
	if (result.ok && logged.length > 0) reportFiguresChanged({ youngPeople: logged });
	return result;
}
