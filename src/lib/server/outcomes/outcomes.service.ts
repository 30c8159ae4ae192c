import { hasErrors, invalid, invalidField, ok, refused, type FieldErrors, type Result } from '../result';
import { withTransaction, type Db } from '../db';
import { insertAuditEvent } from '../audit/audit.queries';
import { authoriseRegister, refuse } from '../auth/policy';
import type { Actor } from '../auth/session';
import type { OutcomeMoment } from '../db/schema';
import { UUID } from '../forms';
import { getManagedProgramme } from '../programmes/programmes.service';
import { reportFiguresChanged } from '../reports/rollups';
import { findSessionSummary, lockSession } from '../sessions/sessions.queries';
import { isRealDate, londonParts } from '../time';
import * as queries from './outcomes.queries';
import { outcomeSummaries } from './outcomes.summary';
import { staleEdit, versionOf, type ShownValues } from '../edit-versions';
import {
	academicYearOfDate,
	checkAnswers,
	CODE_DURATIONS,
	generateSessionCode,
	matchingCodeProblem,
	MAX_QUESTIONS,
	normaliseMatchingCode,
	wordingProblem,
	type QuestionnaireKind,
	type QuestionnaireValues
} from './outcomes.schema';

// Question sets, questionnaires typed in by leads, and session codes for the public form.
// Only admins and the programme's leads: anyone else, or a record outside their programmes,
// gets a 404 and an audit row. Audit rows carry ids and counts: never a matching code, a
// session code, a score or a young person's name.
//
// The reports show outcomes by statement (its wording, its place in the set, whether it is
// retired), so every change to a question set or its answers, once committed, tells every
// process to drop the reports it kept. The outcome figures themselves are counted again by
// triggers, in the answers' own transaction (migration 20261210T0100).

const target = (entityType: string, entityId?: string) => ({ entityType, entityId });

/** Postgres's unique_violation: two people saved the same thing at once and the index stopped one. */
function isUniqueViolation(error: unknown): boolean {
	return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

// ---- Question sets ----

export async function getQuestionSet(db: Db, actor: Actor, programmeId: string) {
	const programme = await getManagedProgramme(db, actor, programmeId);
	const questions = await queries.listQuestions(db, programme.id);
	return {
		programme: { id: programme.id, name: programme.name },
		active: questions.filter((q) => q.retired_at === null),
		retired: questions.filter((q) => q.retired_at !== null)
	};
}

/** A programme's outcomes for its lead (exact counts: leads see the young people themselves). */
export async function getProgrammeOutcomes(db: Db, actor: Actor, programmeId: string, period: { from: string; to: string }) {
	const programme = await getManagedProgramme(db, actor, programmeId);
	return outcomeSummaries(db, { ...period, programmeIds: [programme.id] });
}

async function managedQuestion(db: Db, actor: Actor, programmeId: string, questionId: string) {
	await getManagedProgramme(db, actor, programmeId);
	const question = UUID.test(questionId) ? await queries.findQuestion(db, programmeId, questionId) : undefined;
	return question ?? refuse(db, actor, target('outcome_question', questionId));
}

export async function addQuestion(db: Db, actor: Actor, programmeId: string, values: { wording: string }): Promise<Result<{ id: string }>> {
	await getManagedProgramme(db, actor, programmeId);
	const problem = wordingProblem(values.wording);
	if (problem) return invalidField('wording', problem);
	const result = await withTransaction(db, async (trx): Promise<Result<{ id: string }>> => {
		await queries.lockProgramme(trx, programmeId);
		if ((await queries.listActiveQuestions(trx, programmeId)).length >= MAX_QUESTIONS) {
			return refused('question_set_full', `A question set can have up to ${MAX_QUESTIONS} statements: retire one first`, 'wording');
		}
		const position = await queries.nextPosition(trx, programmeId);
		const { id } = await queries.insertQuestion(trx, { programme_id: programmeId, position, wording: values.wording });
		await insertAuditEvent(trx, {
			actorId: actor.id,
			action: 'outcomes.question_added',
			...target('outcome_question', id),
			detail: { programmeId, position },
			address: actor.address
		});
		return ok({ id });
	});
	if (result.ok) reportFiguresChanged({});
	return result;
}

/**
 * Changes a question's wording. A question nobody has answered is simply corrected. One with
 * answers keeps its words: it is retired, with its answers, and the new wording becomes a new
 * question in its place. Answers given to one wording are never compared with answers to
 * another, because a changed statement may be understood differently; and a typo fixed in
 * place would quietly rewrite what the young people who already answered agreed with.
 *
 * `basedOn` is the version of the statement the form was opened on (questionFormVersion; ''
 * for none): see edit-versions.ts. A statement reworded with answers since the form was opened
 * lives on as the one in its place, and the form is checked against that; one retired since is
 * not changed, and the user is told so: they manage the programme, so it is no attempt on a
 * record out of their reach, and neither a 404 nor an audited refusal.
 */
export async function rewordQuestion(
	db: Db,
	actor: Actor,
	programmeId: string,
	questionId: string,
	values: { wording: string },
	now = new Date(),
	basedOn = ''
): Promise<Result<{ id: string; replaced: boolean }>> {
	const question = await managedQuestion(db, actor, programmeId, questionId);
	const problem = wordingProblem(values.wording);
	if (problem) return invalidField('wording', problem);
	const saved = await withTransaction(db, async (trx): Promise<Result<{ id: string; replaced: boolean; changed: boolean }>> => {
		await queries.lockProgramme(trx, programmeId);
		// Read under the lock: what the form is checked against, and what is reworded.
		const found = await queries.findQuestion(trx, programmeId, question.id);
		const current = found?.retired_at ? await queries.findReplacement(trx, programmeId, question.id) : found;
		if (!current) return retiredSince('your wording has not been saved');
		const stale = staleEdit({
			noun: 'This statement',
			// A form on a statement since replaced was opened on another statement: it is always checked.
			basedOn: current === found ? basedOn : basedOn || 'replaced',
			mine: shownQuestion(values.wording),
			saved: shownQuestion(current.wording),
			labels: { newWording: 'Statement' }
		});
		if (stale) return stale;
		if (values.wording === current.wording) return ok({ id: current.id, replaced: false, changed: false });
		const answers = await queries.countAnswers(trx, current.id);
		if (answers === 0) {
			await queries.updateQuestion(trx, current.id, { wording: values.wording });
			await insertAuditEvent(trx, {
				actorId: actor.id,
				action: 'outcomes.question_reworded',
				...target('outcome_question', current.id),
				detail: { programmeId },
				address: actor.address
			});
			return ok({ id: current.id, replaced: false, changed: true });
		}
		await queries.updateQuestion(trx, current.id, { retired_at: now });
		const { id } = await queries.insertQuestion(trx, {
			programme_id: programmeId,
			position: current.position,
			wording: values.wording,
			replaces_id: current.id
		});
		await insertAuditEvent(trx, {
			actorId: actor.id,
			action: 'outcomes.question_replaced',
			...target('outcome_question', id),
			detail: { programmeId, replacesId: current.id, answersKept: answers },
			address: actor.address
		});
		return ok({ id, replaced: true, changed: true });
	});
	if (!saved.ok) return saved;
	if (saved.changed) reportFiguresChanged({});
	return ok({ id: saved.id, replaced: saved.replaced });
}

/** The change form's field as it shows it. */
const shownQuestion = (wording: string): ShownValues => ({ newWording: wording });

/** The version of a statement its change form carries. */
export const questionFormVersion = (question: { wording: string }): string => versionOf(shownQuestion(question.wording));

/** A statement retired by someone else since the page was opened: what was asked of it is not done (`what`), and the user is told. */
const retiredSince = (what: string) => refused('retired', `This statement was retired by someone else after you opened this page, so ${what}`, 'statements');

/**
 * Swaps a question with the one above or below it among those in use; at either end nothing
 * moves. One retired since the page was opened is not moved, and the user is told.
 */
export async function moveQuestion(db: Db, actor: Actor, programmeId: string, questionId: string, direction: 'up' | 'down'): Promise<Result> {
	const question = await managedQuestion(db, actor, programmeId, questionId);
	const moved = await withTransaction(db, async (trx): Promise<Result<{ moved: boolean }>> => {
		await queries.lockProgramme(trx, programmeId);
		// Renumbered 1, 2, 3... as shown, so the swap works even if positions had gaps or ties.
		const order = (await queries.listActiveQuestions(trx, programmeId)).map((q) => q.id);
		const from = order.indexOf(question.id);
		if (from < 0) return retiredSince('it was not moved');
		const to = direction === 'up' ? from - 1 : from + 1;
		if (to < 0 || to >= order.length) return ok({ moved: false });
		[order[from], order[to]] = [order[to]!, order[from]!];
		for (const [i, id] of order.entries()) await queries.updateQuestion(trx, id, { position: i + 1 });
		await insertAuditEvent(trx, {
			actorId: actor.id,
			action: 'outcomes.question_moved',
			...target('outcome_question', question.id),
			detail: { programmeId, from: from + 1, to: to + 1 },
			address: actor.address
		});
		return ok({ moved: true });
	});
	if (!moved.ok) return moved;
	if (moved.moved) reportFiguresChanged({});
	return ok();
}

/** Stops asking a question. Its answers stay, and still count in outcomes for the periods they were given. */
export async function retireQuestion(db: Db, actor: Actor, programmeId: string, questionId: string, now = new Date()): Promise<void> {
	const question = await managedQuestion(db, actor, programmeId, questionId);
	if (question.retired_at) return;
	await withTransaction(db, async (trx) => {
		await queries.updateQuestion(trx, question.id, { retired_at: now });
		await insertAuditEvent(trx, {
			actorId: actor.id,
			action: 'outcomes.question_retired',
			...target('outcome_question', question.id),
			detail: { programmeId, answersKept: await queries.countAnswers(trx, question.id) },
			address: actor.address
		});
	});
	reportFiguresChanged({});
}

// ---- Entry by a lead ----

/** A session whose questionnaires the actor may enter: admins and its programme's leads. */
async function managedSession(db: Db, actor: Actor, sessionId: string) {
	const session = UUID.test(sessionId) ? await findSessionSummary(db, sessionId) : undefined;
	return authoriseRegister(db, actor, sessionId, session);
}

/** Everything the session's questionnaire page shows: questions, schools, enrolled young people, the open code. */
export async function getSessionEntry(db: Db, actor: Actor, sessionId: string, now = new Date()) {
	const session = await managedSession(db, actor, sessionId);
	return {
		session,
		questions: await queries.listActiveQuestions(db, session.programme_id),
		schools: await queries.listBookedSchools(db, session.id),
		youngPeople: await queries.listEnrolledYoungPeople(db, session.programme_id),
		openCode: await queries.findOpenCode(db, session.id, now),
		counts: await queries.countSessionQuestionnaires(db, session.id)
	};
}

/** The session and its open code, for the page projected in the hall: the session's lead or an admin only. */
export async function getProjectedSessionCode(db: Db, actor: Actor, sessionId: string, now = new Date()) {
	const session = await managedSession(db, actor, sessionId);
	return { session, openCode: await queries.findOpenCode(db, session.id, now) };
}

/** The same for questionnaires not tied to a session (a cohort's year, say): any active school. */
export async function getProgrammeEntry(db: Db, actor: Actor, programmeId: string) {
	const programme = await getManagedProgramme(db, actor, programmeId);
	return {
		programme: { id: programme.id, name: programme.name },
		questions: await queries.listActiveQuestions(db, programme.id),
		schools: await queries.listActiveSchools(db),
		youngPeople: await queries.listEnrolledYoungPeople(db, programme.id)
	};
}

export interface Place {
	programmeId: string;
	sessionId: string | null;
	/** The session's date in London, or the date typed where there is no session (undefined when that is not a date). */
	answeredOn: string | undefined;
	/** Schools that may be chosen for an anonymous questionnaire. */
	schoolIds: readonly string[];
}

/** A place with a real date, where answers can be saved. */
export type DatedPlace = Place & { answeredOn: string };

interface Checked {
	moment: OutcomeMoment;
	schoolId: string;
	youngPersonId: string | null;
	matchingCode: string | null;
	answers: { questionId: string; score: number }[];
}

/**
 * Checks a questionnaire against its place and what is saved already: one before and one
 * after per person or code in each matching scope, and an anonymous after must name the
 * school its before named. Returns field errors, or the values to save.
 */
export async function checkQuestionnaire(
	db: Db,
	place: Place,
	kind: QuestionnaireKind,
	values: QuestionnaireValues,
	questions: readonly { id: string }[],
	requireAll: boolean
): Promise<{ errors: FieldErrors; checked?: Checked }> {
	const errors: FieldErrors = {};
	const academicYear = place.answeredOn ? academicYearOfDate(place.answeredOn) : undefined;
	let schoolId = '';
	let youngPersonId: string | null = null;
	let matchingCode: string | null = null;
	if (kind === 'named') {
		const person = UUID.test(values.youngPersonId) ? await queries.findEnrolledYoungPerson(db, place.programmeId, values.youngPersonId) : undefined;
		if (!person) errors.youngPersonId = 'Select a young person enrolled in the programme';
		else {
			youngPersonId = person.id;
			schoolId = person.school_id;
		}
	} else {
		const code = normaliseMatchingCode(values.matchingCode);
		const problem = matchingCodeProblem(code);
		if (problem) errors.matchingCode = problem;
		else matchingCode = code;
		if (values.schoolId === '') errors.schoolId = 'Select the school';
		else if (!place.schoolIds.includes(values.schoolId)) errors.schoolId = 'Select a school from the list';
		else schoolId = values.schoolId;
	}
	const { moment, answers } = checkAnswers(values, questions, requireAll, errors);
	if (moment && youngPersonId && academicYear && (await queries.findNamedQuestionnaire(db, place.programmeId, academicYear, youngPersonId, moment))) {
		errors.youngPersonId = `This young person already has ${moment} answers for this programme in this academic year`;
	}
	if (moment && matchingCode && academicYear) {
		const given = await queries.listCodeQuestionnaires(db, { sessionId: place.sessionId, programmeId: place.programmeId, academicYear }, matchingCode);
		const scope = place.sessionId ? 'at this session' : 'this academic year';
		if (given.some((g) => g.moment === moment))
			errors.matchingCode = `This matching code has already answered the ${moment} questions ${scope}. Check the code, or choose another`;
		else if (schoolId && given.some((g) => g.school_id !== schoolId))
			errors.schoolId = `This matching code answered the other questions for a different school ${scope}. Check the school and the code`;
	}
	if (hasErrors(errors) || !moment || !academicYear) return { errors };
	return { errors, checked: { moment, schoolId, youngPersonId, matchingCode, answers } };
}

/** Saves a checked questionnaire and its answers; audited by ids and counts only. */
export async function saveQuestionnaire(
	db: Db,
	place: DatedPlace,
	checked: Checked,
	source: { enteredBy: string; sessionCodeId?: undefined } | { enteredBy?: undefined; sessionCodeId: string },
	address: string | undefined
): Promise<string> {
	const { id } = await queries.insertQuestionnaire(db, {
		programme_id: place.programmeId,
		session_id: place.sessionId,
		school_id: checked.schoolId,
		young_person_id: checked.youngPersonId,
		matching_code: checked.matchingCode,
		moment: checked.moment,
		answered_on: place.answeredOn,
		academic_year: academicYearOfDate(place.answeredOn),
		session_code_id: source.sessionCodeId ?? null,
		entered_by: source.enteredBy ?? null
	});
	if (checked.answers.length > 0) await queries.insertAnswers(db, id, checked.answers);
	await insertAuditEvent(db, {
		actorId: source.enteredBy ?? null,
		action: source.enteredBy ? 'outcomes.questionnaire_entered' : 'outcomes.public_answered',
		...target('outcome_questionnaire', id),
		detail: {
			programmeId: place.programmeId,
			sessionId: place.sessionId,
			schoolId: checked.schoolId,
			moment: checked.moment,
			named: checked.youngPersonId !== null,
			answers: checked.answers.length,
			...(source.sessionCodeId ? { sessionCodeId: source.sessionCodeId } : {})
		},
		address
	});
	return id;
}

/** The message for a questionnaire that lost a race to the same person or code. */
const DUPLICATE: FieldErrors = { matchingCode: 'These answers were saved a moment ago by someone else with the same code and moment. Check the code' };

async function enter(
	db: Db,
	actor: Actor,
	place: DatedPlace,
	kind: QuestionnaireKind,
	values: QuestionnaireValues,
	questions: readonly { id: string }[]
): Promise<Result<{ id: string }>> {
	if (questions.length === 0) return refused('no_questions', 'This programme has no statements to answer yet: add them to its question set first', 'questions');
	let result: Result<{ id: string }>;
	try {
		result = await withTransaction(db, async (trx): Promise<Result<{ id: string }>> => {
			const { errors, checked } = await checkQuestionnaire(trx, place, kind, values, questions, false);
			if (!checked) return invalid(errors);
			return ok({ id: await saveQuestionnaire(trx, place, checked, { enteredBy: actor.id }, actor.address) });
		});
	} catch (error) {
		if (isUniqueViolation(error))
			return invalid(kind === 'named' ? { youngPersonId: 'These answers were saved a moment ago by someone else: check the list' } : DUPLICATE);
		throw error;
	}
	if (result.ok) reportFiguresChanged({});
	return result;
}

/** A paper questionnaire from a session, typed in by its lead: anonymous (code and school) or named. */
export async function enterSessionQuestionnaire(
	db: Db,
	actor: Actor,
	sessionId: string,
	kind: QuestionnaireKind,
	values: QuestionnaireValues
): Promise<Result<{ id: string }>> {
	const session = await managedSession(db, actor, sessionId);
	if (session.status === 'cancelled') return refused('session_cancelled', 'This session was cancelled: no answers can be recorded for it', 'moment');
	const place: DatedPlace = {
		programmeId: session.programme_id,
		sessionId: session.id,
		answeredOn: londonParts(session.starts_at).date,
		schoolIds: (await queries.listBookedSchools(db, session.id)).map((s) => s.id)
	};
	return enter(db, actor, place, kind, values, await queries.listActiveQuestions(db, session.programme_id));
}

/** A questionnaire not tied to a session, with the date it was answered. */
export async function enterProgrammeQuestionnaire(
	db: Db,
	actor: Actor,
	programmeId: string,
	kind: QuestionnaireKind,
	values: QuestionnaireValues,
	now = new Date()
): Promise<Result<{ id: string }>> {
	const programme = await getManagedProgramme(db, actor, programmeId);
	const today = londonParts(now).date;
	let dateProblem: string | undefined;
	if (values.answeredOn === '') dateProblem = 'Enter the date the questions were answered';
	else if (!isRealDate(values.answeredOn)) dateProblem = 'The date answered must be a real date';
	else if (values.answeredOn > today) dateProblem = 'The date answered must be today or in the past';
	const questions = await queries.listActiveQuestions(db, programme.id);
	const schoolIds = (await queries.listActiveSchools(db)).map((s) => s.id);
	if (dateProblem) {
		// The other fields are checked too, so every problem shows at once; without a date
		// there is no academic year to look for answers already given in.
		const { errors } = await checkQuestionnaire(db, { programmeId, sessionId: null, answeredOn: undefined, schoolIds }, kind, values, questions, false);
		return invalid({ answeredOn: dateProblem, ...errors });
	}
	return enter(db, actor, { programmeId: programme.id, sessionId: null, answeredOn: values.answeredOn, schoolIds }, kind, values, questions);
}

// ---- Session codes ----

/**
 * Opens a session code for young people to answer on /q, for `minutes` (2 hours unless
 * chosen, a day at most). One code at a time per session; the session must have questions
 * and schools holding places, or the form would have nothing to offer.
 */
export async function openSessionCode(
	db: Db,
	actor: Actor,
	sessionId: string,
	minutesText: string,
	now = new Date()
): Promise<Result<{ id: string; code: string }>> {
	const session = await managedSession(db, actor, sessionId);
	const minutes = Number(minutesText);
	if (!(CODE_DURATIONS as readonly number[]).includes(minutes)) return invalidField('minutes', 'Select how long to keep the code open');
	if (session.status === 'cancelled') return refused('session_cancelled', 'This session was cancelled: a code cannot be opened for it', 'minutes');
	if ((await queries.listActiveQuestions(db, session.programme_id)).length === 0) {
		return refused('no_questions', 'Add statements to the programme’s question set before opening a code', 'minutes');
	}
	if ((await queries.listBookedSchools(db, session.id)).length === 0) {
		return refused('no_schools', 'No school holds places at this session yet, so young people would have no school to choose', 'minutes');
	}
	return withTransaction(db, async (trx): Promise<Result<{ id: string; code: string }>> => {
		// Lock, then check, then write: two clicks cannot open two codes.
		await lockSession(trx, session.id);
		if (await queries.findOpenCode(trx, session.id, now))
			return refused('code_already_open', 'A code is already open for this session: close it first', 'minutes');
		let code = generateSessionCode();
		for (let tries = 0; (await queries.codeTaken(trx, code)) && tries < 10; tries++) code = generateSessionCode();
		const { id } = await queries.insertCode(trx, {
			session_id: session.id,
			code,
			opened_by: actor.id,
			opened_at: now,
			expires_at: new Date(now.getTime() + minutes * 60_000)
		});
		await insertAuditEvent(trx, {
			actorId: actor.id,
			action: 'outcomes.code_opened',
			...target('outcome_session_code', id),
			detail: { sessionId: session.id, minutes },
			address: actor.address
		});
		return ok({ id, code });
	});
}

/** Closes a session's code before it expires; closing one already closed or expired changes nothing. */
export async function closeSessionCode(db: Db, actor: Actor, sessionId: string, codeId: string, now = new Date()): Promise<void> {
	const session = await managedSession(db, actor, sessionId);
	const code = UUID.test(codeId) ? await queries.findCodeForSession(db, session.id, codeId) : undefined;
	if (!code) return refuse(db, actor, target('outcome_session_code', codeId));
	if (code.closed_at || code.expires_at <= now) return;
	await withTransaction(db, async (trx) => {
		await queries.closeCode(trx, code.id, actor.id, now);
		await insertAuditEvent(trx, {
			actorId: actor.id,
			action: 'outcomes.code_closed',
			...target('outcome_session_code', code.id),
			detail: { sessionId: session.id },
			address: actor.address
		});
	});
}
