import { type FieldErrors, hasErrors, invalid, invalidField, notFound, ok, refused, type Result } from '../result';
import { withTransaction, type Db } from '../db';
import { insertAuditEvent } from '../audit/audit.queries';
import { authoriseAward, authoriseOwnPupilCertificate, refuse } from '../auth/policy';
import type { Actor } from '../auth/session';
import { awardChallenges, awardLevelCodes, type AwardChallenge, type AwardLevelCode } from '../db/schema';
import { oneOf, UUID } from '../forms';
import { getManagedProgramme } from '../programmes/programmes.service';
import { reportFiguresChanged } from '../reports/rollups';
import { isRealDate, londonParts } from '../time';
import { academicYearOf, yearGroupIn } from '../young-people/young-people.schema';
import { challengesMet, checkAward, defaultLevelLabels, type AwardCheck } from './awards.rules';
import { validateAwardGroup, validateAwardLabels, type AwardGroupValues, type AwardLabelValues, type DayValues, type ParticipantValues } from './awards.schema';
import { groupCertificate, participantCertificate } from './certificate';
import * as queries from './awards.queries';

// John Muir Award groups, participants, days and sign-off. Only the programme's leads and the
// admins: anyone else, and any record of another programme, is a 404. Audit rows carry ids
// only, never a young person's name.

const PARTNERSHIP = 'Dover District Safer Stronger Communities Partnership';

export type AwardLabels = Record<AwardLevelCode, string>;

/** The first line of every function here: a programme of the award shape that the actor manages. */
async function requireAwardProgramme(db: Db, actor: Actor, programmeId: string) {
	await authoriseAward(db, actor, programmeId);
	const programme = await getManagedProgramme(db, actor, programmeId);
	return programme.shape === 'award' ? programme : refuse(db, actor, { entityType: 'programme', entityId: programmeId });
}

/** A group of an award programme the actor manages; anything else is a 404, audited. */
export async function requireGroup(db: Db, actor: Actor, programmeId: string, groupId: string) {
	const programme = await requireAwardProgramme(db, actor, programmeId);
	const group = UUID.test(groupId) ? await queries.findAwardGroup(db, programme.id, groupId) : undefined;
	return group ? { programme, group } : refuse(db, actor, { entityType: 'award_group', entityId: UUID.test(groupId) ? groupId : undefined });
}

async function requireParticipant(db: Db, actor: Actor, programmeId: string, groupId: string, participantId: string) {
	const { programme, group } = await requireGroup(db, actor, programmeId, groupId);
	const participant = UUID.test(participantId) ? await queries.findParticipant(db, group.id, participantId) : undefined;
	if (!participant) return refuse(db, actor, { entityType: 'award_participant', entityId: UUID.test(participantId) ? participantId : undefined });
	return { programme, group, participant };
}

async function labelsOf(db: Db, programmeId: string): Promise<AwardLabels> {
	const rows = await queries.listAwardLevels(db, programmeId);
	return { ...defaultLevelLabels, ...Object.fromEntries(rows.map((r) => [r.code, r.label])) };
}

export async function getAwardLabels(db: Db, actor: Actor, programmeId: string): Promise<AwardLabels> {
	await requireAwardProgramme(db, actor, programmeId);
	return labelsOf(db, programmeId);
}

/** What this programme calls each level (the partnership plan says Bronze, Silver and Gold). */
export async function saveAwardLabels(db: Db, actor: Actor, programmeId: string, values: AwardLabelValues): Promise<Result<{ id: string }>> {
	await requireAwardProgramme(db, actor, programmeId);
	const { errors, input: labels } = validateAwardLabels(values);
	if (hasErrors(errors)) return invalid(errors);
	await withTransaction(db, async (trx) => {
		await queries.upsertAwardLevels(trx, programmeId, labels);
		await insertAuditEvent(trx, { actorId: actor.id, action: 'award.levels_renamed', entityType: 'programme', entityId: programmeId, address: actor.address });
	});
	return ok({ id: programmeId });
}

export async function listAwardGroups(db: Db, actor: Actor, programmeId: string) {
	await requireAwardProgramme(db, actor, programmeId);
	return queries.listAwardGroups(db, programmeId);
}

export async function createAwardGroup(db: Db, actor: Actor, programmeId: string, values: AwardGroupValues): Promise<Result<{ id: string }>> {
	await requireAwardProgramme(db, actor, programmeId);
	const { errors, input } = validateAwardGroup(values);
	if (!errors.name && (await queries.findAwardGroupByName(db, programmeId, input.name))) errors.name = 'A group with this name already exists';
	if (hasErrors(errors)) return invalid(errors);
	return withTransaction(db, async (trx) => {
		const { id } = await queries.insertAwardGroup(trx, {
			programme_id: programmeId,
			name: input.name,
			leader_name: input.leaderName,
			trust_reference: input.trustReference
		});
		await insertAuditEvent(trx, {
			actorId: actor.id,
			action: 'award.group_created',
			entityType: 'award_group',
			entityId: id,
			detail: { programmeId },
			address: actor.address
		});
		return ok({ id });
	});
}

export interface ParticipantProgress {
	id: string;
	youngPersonId: string;
	name: string;
	schoolName: string;
	level: AwardLevelCode;
	days: { day: string; challenges: AwardChallenge[] }[];
	challengesMet: AwardChallenge[];
	check: AwardCheck;
	achievedOn: string | null;
	signedOffByName: string | null;
}

/** A group with each participant's days, challenge coverage and eligibility, and who may be added. */
export async function getAwardGroup(db: Db, actor: Actor, programmeId: string, groupId: string, now: Date) {
	const { group } = await requireGroup(db, actor, programmeId, groupId);
	const [participants, days, candidates, labels] = [
		await queries.listParticipants(db, group.id),
		await queries.listDaysOfGroup(db, group.id),
		await queries.listParticipantCandidates(db, programmeId, group.id),
		await labelsOf(db, programmeId)
	];
	const academicYear = academicYearOf(now);
	const progress: ParticipantProgress[] = participants.map((p) => {
		const own = days.filter((d) => d.award_participant_id === p.id).map((d) => ({ day: d.day, challenges: d.challenges }));
		return {
			id: p.id,
			youngPersonId: p.young_person_id,
			name: `${p.first_name} ${p.last_name}`,
			schoolName: p.school_name,
			level: p.level,
			days: own,
			challengesMet: challengesMet(own),
			check: checkAward(p.level, own),
			achievedOn: p.achieved_on,
			signedOffByName: p.signed_off_by_name
		};
	});
	return {
		group,
		labels,
		participants: progress,
		candidates: candidates.map((c) => ({
			id: c.id,
			name: `${c.first_name} ${c.last_name}`,
			schoolName: c.school_name,
			yearGroup: yearGroupIn(c.reception_year, academicYear)
		}))
	};
}

export async function addParticipant(db: Db, actor: Actor, programmeId: string, groupId: string, values: ParticipantValues): Promise<Result<{ id: string }>> {
	const { group } = await requireGroup(db, actor, programmeId, groupId);
	const errors: FieldErrors = {};
	const candidates = await queries.listParticipantCandidates(db, programmeId, group.id);
	if (!candidates.some((c) => c.id === values.youngPersonId)) errors.youngPersonId = 'Select a young person from the list';
	if (!oneOf(awardLevelCodes, values.level)) errors.level = 'Select the level they are working towards';
	if (hasErrors(errors) || !oneOf(awardLevelCodes, values.level)) return invalid(errors);
	const level = values.level;
	return withTransaction(db, async (trx): Promise<Result<{ id: string }>> => {
		const row = await queries.insertParticipant(trx, { award_group_id: group.id, young_person_id: values.youngPersonId, level });
		if (!row) return invalidField('youngPersonId', 'This young person is already in the group');
		await insertAuditEvent(trx, {
			actorId: actor.id,
			action: 'award.participant_added',
			entityType: 'award_participant',
			entityId: row.id,
			detail: { groupId: group.id, youngPersonId: values.youngPersonId, level },
			address: actor.address
		});
		return ok({ id: row.id });
	});
}

/** Logs one whole day, or replaces the challenges of a day already logged. */
export async function logAwardDay(
	db: Db,
	actor: Actor,
	programmeId: string,
	groupId: string,
	participantId: string,
	values: DayValues,
	now: Date
): Promise<Result<{ id: string }>> {
	const { participant } = await requireParticipant(db, actor, programmeId, groupId, participantId);
	const errors: FieldErrors = {};
	const day = values.day.trim();
	if (day === '') errors.day = 'Enter the date of the day';
	else if (!isRealDate(day)) errors.day = 'The date must be a real date, like 2019-05-11';
	else if (day > londonParts(now).date) errors.day = 'The date must be today or in the past';
	const challenges = awardChallenges.filter((c) => values.challenges.includes(c));
	if (challenges.length === 0 || challenges.length !== new Set(values.challenges).size) errors.challenges = 'Select the challenges the day served';
	if (participant.achieved_on) errors.day = 'This award has been signed off: no more days can be logged';
	if (hasErrors(errors)) return invalid(errors);
	await withTransaction(db, async (trx) => {
		const inserted = await queries.upsertDay(trx, { award_participant_id: participant.id, day, challenges, recorded_by: actor.id });
		await insertAuditEvent(trx, {
			actorId: actor.id,
			action: inserted ? 'award.day_logged' : 'award.day_changed',
			entityType: 'award_participant',
			entityId: participant.id,
			detail: { day, challenges },
			address: actor.address
		});
	});
	reportFiguresChanged({});
	return ok({ id: participant.id });
}

/**
 * The leader's sign-off: refused (`not_eligible`) unless the days logged meet the level, with
 * the rules' problems as the message, one per line; records who signed off and the date
 * achieved (today in London unless given).
 */
export async function signOffAward(
	db: Db,
	actor: Actor,
	programmeId: string,
	groupId: string,
	participantId: string,
	achievedOnValue: string,
	now: Date
): Promise<Result> {
	const { participant } = await requireParticipant(db, actor, programmeId, groupId, participantId);
	const today = londonParts(now).date;
	const achievedOn = achievedOnValue.trim() || today;
	if (!isRealDate(achievedOn) || achievedOn > today) {
		return refused('invalid_date', 'The date achieved must be a real date, today or in the past');
	}
	const result = await withTransaction(db, async (trx): Promise<Result> => {
		// Lock, then check, then write: a day logged meanwhile cannot slip past the check.
		const locked = await queries.lockParticipant(trx, participant.id);
		if (!locked) notFound();
		if (locked.achieved_on) return refused('already_signed_off', 'This award has already been signed off');
		const days = await queries.listDaysOfParticipant(trx, participant.id);
		const check = checkAward(locked.level, days);
		const lastDay = days[days.length - 1]?.day;
		if (check.eligible && lastDay && achievedOn < lastDay) check.problems.push(`The date achieved cannot be before the last day logged (${lastDay})`);
		if (check.problems.length > 0) return refused('not_eligible', check.problems.join('\n'));
		await queries.updateSignOff(trx, participant.id, actor.id, achievedOn, now);
		await insertAuditEvent(trx, {
			actorId: actor.id,
			action: 'award.signed_off',
			entityType: 'award_participant',
			entityId: participant.id,
			detail: { groupId, level: locked.level, achievedOn, days: days.length },
			address: actor.address
		});
		return ok();
	});
	if (result.ok) reportFiguresChanged({ youngPeople: [{ id: participant.young_person_id, day: achievedOn }] });
	return result;
}

function fileName(text: string): string {
	return (
		text
			.toLowerCase()
			.replace(/[^a-z0-9]+/g, '-')
			.replace(/^-|-$/g, '') || 'certificate'
	);
}

/** One participant's certificate; a participant not yet signed off has none (404). */
export async function participantCertificateFor(db: Db, actor: Actor, programmeId: string, groupId: string, participantId: string) {
	const { group, participant } = await requireParticipant(db, actor, programmeId, groupId, participantId);
	return issueCertificate(db, actor, programmeId, group, participant);
}

/**
 * A school contact's copy of their own pupil's certificate, from the young person's page:
 * only for a young person of their school, and only once the award is signed off.
 */
export async function ownPupilCertificateFor(db: Db, actor: Actor, youngPersonId: string, participantId: string) {
	const refused = () => refuse(db, actor, { entityType: 'award_participant', entityId: UUID.test(participantId) ? participantId : undefined });
	const schoolId = await authoriseOwnPupilCertificate(db, actor, participantId);
	if (!UUID.test(youngPersonId) || !UUID.test(participantId)) return refused();
	const found = await queries.findParticipantOfSchool(db, participantId, youngPersonId, schoolId);
	if (!found) return refused();
	const { programme_id, group_name, group_id, ...participant } = found;
	return issueCertificate(db, actor, programme_id, { id: group_id, name: group_name }, participant);
}

async function issueCertificate(
	db: Db,
	actor: Actor,
	programmeId: string,
	group: { id: string; name: string },
	participant: { id: string; level: AwardLevelCode; achieved_on: string | null; first_name: string; last_name: string }
) {
	if (!participant.achieved_on) notFound();
	const labels = await labelsOf(db, programmeId);
	const bytes = await participantCertificate({
		levelLabel: labels[participant.level],
		youngPersonName: `${participant.first_name} ${participant.last_name}`,
		groupName: group.name,
		achievedOn: participant.achieved_on,
		partnershipName: PARTNERSHIP
	});
	await insertAuditEvent(db, {
		actorId: actor.id,
		action: 'award.certificate_issued',
		entityType: 'award_participant',
		entityId: participant.id,
		address: actor.address
	});
	// The file is named by the group, not the young person: the name stays inside the document.
	return { bytes, fileName: `john-muir-award-${fileName(group.name)}-${participant.id.slice(0, 8)}.pdf` };
}

/** The group's certificate, listing those whose awards are signed off; with none, there is none (404). */
export async function groupCertificateFor(db: Db, actor: Actor, programmeId: string, groupId: string) {
	const { group } = await requireGroup(db, actor, programmeId, groupId);
	const labels = await labelsOf(db, programmeId);
	const achieved = (await queries.listParticipants(db, group.id)).filter((p) => p.achieved_on);
	if (achieved.length === 0) notFound();
	const bytes = await groupCertificate({
		groupName: group.name,
		leaderName: group.leader_name,
		trustReference: group.trust_reference,
		partnershipName: PARTNERSHIP,
		participants: achieved.map((p) => ({ name: `${p.first_name} ${p.last_name}`, levelLabel: labels[p.level], achievedOn: p.achieved_on! }))
	});
	await insertAuditEvent(db, {
		actorId: actor.id,
		action: 'award.group_certificate_issued',
		entityType: 'award_group',
		entityId: group.id,
		detail: { participants: achieved.length },
		address: actor.address
	});
	return { bytes, fileName: `john-muir-award-${fileName(group.name)}.pdf` };
}
