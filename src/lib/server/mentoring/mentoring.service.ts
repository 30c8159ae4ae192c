import { hasErrors, invalid, ok, refused, type FieldErrors, type Result } from '../result';
import { withTransaction, type Db } from '../db';
import { insertAuditEvent } from '../audit/audit.queries';
import { maySeeYoungPerson, refuse, schoolsInReach } from '../auth/policy';
import type { Actor } from '../auth/session';
import { mentoringTopics, pairEndReasons, type EnrolmentRole, type MentoringTopic, type PairEndReason } from '../db/schema';
import { oneOf, UUID } from '../forms';
import { findEnrolmentOf, insertEnrolment } from '../enrolments/enrolments.queries';
import { getManagedProgramme } from '../programmes/programmes.service';
import { addDays, isRealDate, londonParts } from '../time';
import { academicYearOf, yearGroupIn, type PupilYearGroup } from '../young-people/young-people.schema';
import { reportFiguresChanged } from '../reports/rollups';
import { staleEdit, versionOf, type ShownValues } from '../edit-versions';
import { formatDate, formatDay } from '../../format';
import * as queries from './mentoring.queries';
import type { CohortValues, MeetingValues, PairValues } from './mentoring.schema';

// Peer mentoring for programmes of the `cohort` shape: only the programme's leads and admins.
// Audit rows carry ids and counts, never a young person's name or a meeting's note.

export const MENTOR_YEARS: readonly PupilYearGroup[] = ['Y12', 'Y13'];
export const MENTEE_YEARS: readonly PupilYearGroup[] = ['Y8', 'Y9'];
export const NOT_MET_DAYS = 28;
export const NOTE_MAX = 280;

export const topicLabels: Record<MentoringTopic, string> = {
	cse: 'Child sexual exploitation (CSE)',
	cce: 'Child criminal exploitation (CCE)',
	gangs: 'Gangs',
	risk_taking: 'Risk-taking',
	online_safety: 'Online safety',
	wellbeing: 'Wellbeing',
	other: 'Other'
};

/** "2026 to 2027" for the academic year that began in 2026. */
export function academicYearLabel(year: number): string {
	return `${year} to ${year + 1}`;
}

const target = (entityType: string, entityId?: string) => ({ entityType, entityId });

/** A programme of the cohort shape the actor manages; anything else is a 404. */
async function cohortProgramme(db: Db, actor: Actor, programmeId: string) {
	const programme = await getManagedProgramme(db, actor, programmeId);
	if (programme.shape !== 'cohort') return refuse(db, actor, target('programme', programmeId));
	return programme;
}

/** A cohort of a programme of the cohort shape the actor manages; anything else is a 404, audited. */
export async function managedCohort(db: Db, actor: Actor, programmeId: string, cohortId: string) {
	await cohortProgramme(db, actor, programmeId);
	const cohort = UUID.test(cohortId) ? await queries.findCohort(db, programmeId, cohortId) : undefined;
	return cohort ?? refuse(db, actor, target('mentoring_cohort', cohortId));
}

function wholeNumber(text: string): number | undefined {
	return /^\d{1,6}$/.test(text) ? Number(text) : undefined;
}

export async function getMentoringProgramme(db: Db, actor: Actor, programmeId: string) {
	return cohortProgramme(db, actor, programmeId);
}

export async function listCohorts(db: Db, actor: Actor, programmeId: string) {
	await cohortProgramme(db, actor, programmeId);
	return queries.listCohorts(db, programmeId);
}

export async function createCohort(db: Db, actor: Actor, programmeId: string, values: CohortValues): Promise<Result<{ id: string }>> {
	await cohortProgramme(db, actor, programmeId);
	const errors: FieldErrors = {};
	const year = wholeNumber(values.academicYear);
	if (values.academicYear === '') errors.academicYear = 'Enter the year the academic year starts, like 2026';
	else if (year === undefined || year < 2000 || year > 2100) errors.academicYear = 'Enter the year the academic year starts as 4 digits, like 2026';
	const max = values.maxMentees === '' ? 20 : wholeNumber(values.maxMentees);
	if (max === undefined || max < 1 || max > 300) errors.maxMentees = 'Mentees per mentor must be a whole number from 1 to 300';
	if (!errors.academicYear && (await queries.findCohortByYear(db, programmeId, year!))) {
		errors.academicYear = `There is already a cohort for ${academicYearLabel(year!)}`;
	}
	if (hasErrors(errors)) return invalid(errors);
	const result = await withTransaction(db, async (trx) => {
		const { id } = await queries.insertCohort(trx, { programme_id: programmeId, academic_year: year!, max_mentees_per_mentor: max! });
		await insertAuditEvent(trx, {
			actorId: actor.id,
			action: 'mentoring.cohort_created',
			...target('mentoring_cohort', id),
			detail: { programmeId, academicYear: year, maxMenteesPerMentor: max },
			address: actor.address
		});
		return ok({ id });
	});
	if (result.ok) reportFiguresChanged({});
	return result;
}

/** A cohort with its pairs (meetings and hours), the pairs not met for 4 weeks as of `asOf`, and who can be paired. */
export async function getCohortOverview(db: Db, actor: Actor, programmeId: string, cohortId: string, asOf: string) {
	const cohort = await managedCohort(db, actor, programmeId, cohortId);
	const pairs = await queries.listPairs(db, cohort.id);
	const notMet = await queries.listPairsNotMetSince(db, cohort.id, addDays(asOf, -NOT_MET_DAYS), asOf);
	const year = cohort.academic_year;
	// A lead chooses from the schools in their reach (admins from every school): auth/policy.ts.
	const schoolIds = (await schoolsInReach(db, actor))?.map((s) => s.id);
	const people = await queries.listYoungPeopleByReceptionYear(
		db,
		[...MENTOR_YEARS, ...MENTEE_YEARS].map((g) => year - Number(g.slice(1))),
		schoolIds
	);
	// A mentee whose pair ended may be paired again; a mentor stays a mentor in the cohort.
	const paired = new Set(pairs.filter((p) => p.ended_on === null).map((p) => p.mentee_id));
	const mentorIds = new Set(pairs.map((p) => p.mentor_id));
	const inYears = (years: readonly PupilYearGroup[]) => (p: (typeof people)[number]) => years.includes(yearGroupIn(p.reception_year, year)!);
	const choice = (p: (typeof people)[number]) => ({
		id: p.id,
		label: `${p.last_name}, ${p.first_name} (Year ${yearGroupIn(p.reception_year, year)!.slice(1)}, ${p.school_name})`
	});
	return {
		cohort,
		finished: cohortOverOn(year, asOf),
		pairs: pairs.map((p) => ({ ...p, hours: Math.round((p.minutes / 60) * 10) / 10 })),
		notMet,
		mentors: people.filter(inYears(MENTOR_YEARS)).map(choice),
		mentees: people
			.filter(inYears(MENTEE_YEARS))
			.filter((p) => !paired.has(p.id) && !mentorIds.has(p.id))
			.map(choice)
	};
}

/** Enrols a young person just paired, as active from today, unless they are in the programme already. */
async function enrolIfNeeded(db: Db, actor: Actor, programmeId: string, youngPersonId: string, role: EnrolmentRole, today: string) {
	if (await findEnrolmentOf(db, programmeId, youngPersonId)) return undefined;
	const row = { programme_id: programmeId, young_person_id: youngPersonId, role, stage: 'active' as const, started_on: today, created_by: actor.id };
	const { id } = await insertEnrolment(db, row, { ifEnrolled: 'throw' });
	return id;
}

export async function pairMentor(
	db: Db,
	actor: Actor,
	programmeId: string,
	cohortId: string,
	values: PairValues,
	now = new Date()
): Promise<Result<{ id: string }>> {
	const cohort = await managedCohort(db, actor, programmeId, cohortId);
	const year = cohort.academic_year;
	if (cohortFinished(year, now)) {
		return refused(
			'cohort_finished',
			`The ${academicYearLabel(year)} cohort finished on 31 August ${year + 1}: pair mentors in this year's cohort`,
			'mentorId'
		);
	}
	const errors: FieldErrors = {};
	// Someone a lead may not see is treated as not on the list at all.
	const visible = async (id: string) => {
		const person = UUID.test(id) ? await queries.findYoungPersonYear(db, id) : undefined;
		return person && (await maySeeYoungPerson(db, actor, person)) ? person : undefined;
	};
	const mentor = await visible(values.mentorId);
	const mentee = await visible(values.menteeId);
	if (!mentor) errors.mentorId = 'Select a mentor';
	else if (!MENTOR_YEARS.includes(yearGroupIn(mentor.reception_year, year)!))
		errors.mentorId = `The mentor must be in Year 12 or Year 13 in ${academicYearLabel(year)}`;
	if (!mentee) errors.menteeId = 'Select a mentee';
	else if (!MENTEE_YEARS.includes(yearGroupIn(mentee.reception_year, year)!))
		errors.menteeId = `The mentee must be in Year 8 or Year 9 in ${academicYearLabel(year)}`;
	if (hasErrors(errors)) return invalid(errors);

	const result = await withTransaction(db, async (trx) => {
		// Lock, then check, then write: two leads pairing at once cannot overfill a mentor.
		const locked = (await queries.lockCohort(trx, cohort.id))!;
		if (await queries.findPairByMentee(trx, cohort.id, mentee!.id)) errors.menteeId = 'This mentee already has a mentor in this cohort';
		if (!errors.menteeId && (await queries.findRoleInCohort(trx, cohort.id, mentee!.id))?.mentor_id === mentee!.id)
			errors.menteeId = 'This young person is a mentor in this cohort';
		const mentees = await queries.countMentees(trx, cohort.id, mentor!.id);
		if (mentees >= locked.max_mentees_per_mentor) errors.mentorId = `This mentor already has ${mentees} mentees, the most allowed in this cohort`;
		const mentorEnrolment = await findEnrolmentOf(trx, programmeId, mentor!.id);
		if (!errors.mentorId && mentorEnrolment && mentorEnrolment.role !== 'mentor')
			errors.mentorId = `This young person is enrolled in the programme as a ${mentorEnrolment.role}`;
		const menteeEnrolment = await findEnrolmentOf(trx, programmeId, mentee!.id);
		if (!errors.menteeId && menteeEnrolment && menteeEnrolment.role !== 'mentee')
			errors.menteeId = `This young person is enrolled in the programme as a ${menteeEnrolment.role}`;
		if (hasErrors(errors)) return invalid(errors);

		const today = londonParts(now).date;
		const { id } = await queries.insertPair(trx, { cohort_id: cohort.id, mentor_id: mentor!.id, mentee_id: mentee!.id });
		const enrolled = [
			await enrolIfNeeded(trx, actor, programmeId, mentor!.id, 'mentor', today),
			await enrolIfNeeded(trx, actor, programmeId, mentee!.id, 'mentee', today)
		].filter((e): e is string => e !== undefined);
		await insertAuditEvent(trx, {
			actorId: actor.id,
			action: 'mentoring.paired',
			...target('mentoring_pair', id),
			detail: { cohortId: cohort.id, mentorId: mentor!.id, menteeId: mentee!.id, enrolmentIds: enrolled },
			address: actor.address
		});
		return ok({ id });
	});
	if (result.ok) reportFiguresChanged({});
	return result;
}

export async function logMeeting(db: Db, actor: Actor, programmeId: string, values: MeetingValues, now = new Date()): Promise<Result<{ id: string }>> {
	await cohortProgramme(db, actor, programmeId);
	const errors: FieldErrors = {};
	let pair: Awaited<ReturnType<typeof queries.findPair>>;
	if (values.pairId === '') errors.pairId = 'Select the mentor and mentee who met';
	else {
		// An id that is not one of this programme's pairs did not come from the form: a 404.
		pair = UUID.test(values.pairId) ? await queries.findPair(db, programmeId, values.pairId) : undefined;
		if (!pair) return refuse(db, actor, target('mentoring_pair', values.pairId));
	}

	if (pair && cohortFinished(pair.academic_year, now)) return cohortOver(pair.academic_year, 'meetings can no longer be logged in it', 'pairId');
	if (pair?.ended_on) return refused('pair_ended', `This pair ended on ${formatDay(pair.ended_on)}, so meetings can no longer be logged for it`, 'pairId');
	const checked = checkMeeting(values, pair, londonParts(now).date);
	if (!checked.ok || hasErrors(errors) || !pair) return invalid({ ...errors, ...(checked.ok ? {} : checked.errors) });
	const { minutes, topics } = checked;
	const found = pair;

	const id = await withTransaction(db, async (trx) => {
		const { id } = await queries.insertMeeting(trx, {
			pair_id: found.id,
			met_on: values.metOn,
			minutes,
			topics,
			note: values.note === '' ? null : values.note,
			recorded_by: actor.id
		});
		await insertAuditEvent(trx, {
			actorId: actor.id,
			action: 'mentoring.meeting_logged',
			...target('mentoring_meeting', id),
			// The note is free text about a young person: it stays out of the audit log.
			detail: { pairId: found.id, cohortId: found.cohort_id, minutes, topics: topics.length, hasNote: values.note !== '' },
			address: actor.address
		});
		return id;
	});
	reportFiguresChanged({ youngPeople: [{ id: found.mentee_id, day: values.metOn }] });
	return ok({ id });
}

/**
 * A meeting's date, length, topics and note, checked the same when logged and when corrected:
 * within the cohort's year (and before the pair ended), not in the future, 5 to 600 minutes.
 */
export function checkMeeting(
	values: Omit<MeetingValues, 'pairId'>,
	pair: { academic_year: number; ended_on: string | null } | undefined,
	today: string
): { ok: true; minutes: number; topics: MentoringTopic[] } | { ok: false; code: 'invalid'; errors: FieldErrors } {
	const errors: FieldErrors = {};
	if (values.metOn === '') errors.metOn = 'Enter the date of the meeting';
	else if (!isRealDate(values.metOn)) errors.metOn = 'The date of the meeting must be a real date';
	else if (values.metOn > today) errors.metOn = 'The date of the meeting must be today or in the past';
	else if (pair && values.metOn < `${pair.academic_year}-09-01`) {
		errors.metOn = `The date of the meeting must be in the cohort's academic year, from 1 September ${pair.academic_year}`;
	} else if (pair?.ended_on && values.metOn > pair.ended_on) {
		errors.metOn = `The date of the meeting must be on or before ${formatDay(pair.ended_on)}, when the pair ended`;
	}
	const minutes = wholeNumber(values.minutes);
	if (values.minutes === '') errors.minutes = 'Enter how many minutes the meeting lasted';
	else if (minutes === undefined || minutes < 5 || minutes > 600) errors.minutes = 'Minutes must be a whole number from 5 to 600';
	const topics = [...new Set(values.topics)];
	if (topics.length === 0) errors.topics = 'Select the topics talked about, or Other';
	else if (!topics.every((t) => oneOf(mentoringTopics, t))) errors.topics = 'Select topics from the list';
	if (values.note.length > NOTE_MAX) errors.note = `The note must be ${NOTE_MAX} characters or fewer`;
	if (hasErrors(errors)) return { ok: false, code: 'invalid', errors };
	return { ok: true, minutes: minutes!, topics: mentoringTopics.filter((t) => topics.includes(t)) };
}

/** A cohort is finished once its academic year is over (after 31 August, in the UK): no new pairs or meetings. */
export function cohortFinished(academicYear: number, now: Date): boolean {
	return cohortOverOn(academicYear, londonParts(now).date);
}

/** Whether the cohort's academic year is over on this UK date (YYYY-MM-DD). */
function cohortOverOn(academicYear: number, day: string): boolean {
	return day > `${academicYear + 1}-08-31`;
}

/** The academic year holding `now`, for the cohort form's default. */
export function currentAcademicYear(now = new Date()): number {
	return academicYearOf(now);
}

export const endReasonLabels: Record<PairEndReason, string> = {
	mentee_left: 'The mentee left the school or the programme',
	mentor_left: 'The mentor left the school or the programme',
	not_working: 'The pairing was not working',
	goals_met: 'The mentee met their goals and needs no more meetings',
	other: 'Another reason'
};

function cohortOver(academicYear: number, what: string, field: string) {
	return refused('cohort_finished', `The ${academicYearLabel(academicYear)} cohort finished on 31 August ${academicYear + 1}, so ${what}`, field);
}

/** A pair of the programme with its names and meetings, for its page; a pair of another programme is a 404. */
export async function getPair(db: Db, actor: Actor, programmeId: string, pairId: string, now = new Date()) {
	await cohortProgramme(db, actor, programmeId);
	const pair = UUID.test(pairId) ? await queries.findPairDetail(db, programmeId, pairId) : undefined;
	if (!pair) return refuse(db, actor, target('mentoring_pair', pairId));
	return { pair, meetings: await queries.listMeetings(db, pair.id), finished: cohortFinished(pair.academic_year, now) };
}

/**
 * Ends a running pair with a reason from the list: the pair and its meetings are kept, the mentor
 * has a place free under the cohort's cap, and no more meetings can be logged for it.
 */
export async function endPair(
	db: Db,
	actor: Actor,
	programmeId: string,
	pairId: string,
	reason: string,
	now = new Date()
): Promise<Result<{ cohortId: string }>> {
	await cohortProgramme(db, actor, programmeId);
	const pair = UUID.test(pairId) ? await queries.findPair(db, programmeId, pairId) : undefined;
	if (!pair) return refuse(db, actor, target('mentoring_pair', pairId));
	if (cohortFinished(pair.academic_year, now)) return cohortOver(pair.academic_year, 'its pairs can no longer be ended', 'reason');
	if (pair.ended_on) return refused('pair_ended', `This pair ended on ${formatDay(pair.ended_on)}`, 'reason');
	if (!oneOf(pairEndReasons, reason)) return invalid({ reason: 'Select why the pair is ending' });
	const today = londonParts(now).date;
	return withTransaction(db, async (trx) => {
		// Only a running pair is ended: two leads ending it at once end it once.
		if (!(await queries.endPair(trx, pair.id, today, reason))) return refused('pair_ended', 'This pair has already ended', 'reason');
		await insertAuditEvent(trx, {
			actorId: actor.id,
			action: 'mentoring.pair_ended',
			...target('mentoring_pair', pair.id),
			detail: { cohortId: pair.cohort_id, endedOn: today, reason },
			address: actor.address
		});
		return ok({ cohortId: pair.cohort_id });
	});
}

/** What is audited of a meeting, before and after a change: never its note or its topics' names. */
function meetingFacts(m: { met_on: string; minutes: number; topics: readonly string[]; note: string | null }) {
	return { metOn: m.met_on, minutes: m.minutes, topics: m.topics.length, hasNote: m.note !== null && m.note !== '' };
}

async function managedMeeting(db: Db, actor: Actor, programmeId: string, meetingId: string) {
	await cohortProgramme(db, actor, programmeId);
	const meeting = UUID.test(meetingId) ? await queries.findMeeting(db, programmeId, meetingId) : undefined;
	return meeting ?? refuse(db, actor, target('mentoring_meeting', meetingId));
}

/** A logged meeting, for its change and delete pages. */
export async function getMeeting(db: Db, actor: Actor, programmeId: string, meetingId: string, now = new Date()) {
	const meeting = await managedMeeting(db, actor, programmeId, meetingId);
	return { meeting, finished: cohortFinished(meeting.academic_year, now) };
}

/**
 * Corrects a logged meeting: its date, length, topics and note, checked as when it was logged,
 * from its form opened on version `basedOn` (see edit-versions.ts): if someone else has corrected
 * it since, nothing is saved.
 */
export async function updateMeeting(
	db: Db,
	actor: Actor,
	programmeId: string,
	meetingId: string,
	values: Omit<MeetingValues, 'pairId'>,
	now = new Date(),
	basedOn = ''
): Promise<Result<{ pairId: string }>> {
	const meeting = await managedMeeting(db, actor, programmeId, meetingId);
	if (cohortFinished(meeting.academic_year, now)) return cohortOver(meeting.academic_year, 'its meetings can no longer be changed', 'metOn');
	const checked = checkMeeting(values, meeting, londonParts(now).date);
	if (!checked.ok) return invalid(checked.errors);
	const row = { met_on: values.metOn, minutes: checked.minutes, topics: checked.topics, note: values.note === '' ? null : values.note };
	const result = await withTransaction(db, async (trx): Promise<Result<{ formerDay: string }>> => {
		const saved = await queries.lockMeeting(trx, meeting.id);
		if (!saved) return { ok: false, code: 'not_found' };
		const stale = staleEdit({ noun: 'This meeting', basedOn, mine: shownMeeting(row), saved: shownMeeting(saved), labels: meetingLabels, now });
		if (stale) return stale;
		await queries.updateMeeting(trx, meeting.id, row);
		await insertAuditEvent(trx, {
			actorId: actor.id,
			action: 'mentoring.meeting_changed',
			...target('mentoring_meeting', meeting.id),
			detail: {
				pairId: meeting.pair_id,
				cohortId: meeting.cohort_id,
				before: meetingFacts(saved),
				after: meetingFacts(row),
				noteChanged: (saved.note ?? '') !== (row.note ?? '')
			},
			address: actor.address
		});
		return ok({ formerDay: saved.met_on });
	});
	if (!result.ok) return result;
	reportFiguresChanged({
		youngPeople: [
			{ id: meeting.mentee_id, day: result.formerDay },
			{ id: meeting.mentee_id, day: values.metOn }
		]
	});
	return ok({ pairId: meeting.pair_id });
}

/** The version of a meeting its change form is opened on (see edit-versions.ts). */
export const meetingFormVersion = (meeting: ShownMeeting): string => versionOf(shownMeeting(meeting));

type ShownMeeting = { met_on: string; minutes: number; topics: MentoringTopic[]; note: string | null };

const meetingLabels = { metOn: 'Date of the meeting', minutes: 'How long, in minutes', topics: 'Topics talked about', note: 'Note' };

/** A meeting as its form shows it: the date as people write it, the topics by their labels. */
function shownMeeting(meeting: ShownMeeting): ShownValues {
	const topics = new Set(meeting.topics);
	return {
		metOn: formatDate(`${meeting.met_on}T12:00:00Z`),
		minutes: String(meeting.minutes),
		topics: mentoringTopics
			.filter((t) => topics.has(t))
			.map((t) => topicLabels[t])
			.join(', '),
		note: meeting.note ?? ''
	};
}

/** Deletes a meeting logged by mistake; the audit keeps what it was (without its note). */
export async function deleteMeeting(db: Db, actor: Actor, programmeId: string, meetingId: string, now = new Date()): Promise<Result<{ pairId: string }>> {
	const meeting = await managedMeeting(db, actor, programmeId, meetingId);
	if (cohortFinished(meeting.academic_year, now)) return cohortOver(meeting.academic_year, 'its meetings can no longer be deleted', 'form');
	await withTransaction(db, async (trx) => {
		await queries.deleteMeeting(trx, meeting.id);
		await insertAuditEvent(trx, {
			actorId: actor.id,
			action: 'mentoring.meeting_deleted',
			...target('mentoring_meeting', meeting.id),
			detail: { pairId: meeting.pair_id, cohortId: meeting.cohort_id, before: meetingFacts(meeting) },
			address: actor.address
		});
	});
	reportFiguresChanged({ youngPeople: [{ id: meeting.mentee_id, day: meeting.met_on }] });
	return ok({ pairId: meeting.pair_id });
}
