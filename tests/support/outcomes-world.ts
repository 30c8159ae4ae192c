import type { Kysely } from 'kysely';
import type { DB } from '../../src/lib/server/db/schema';
import { addQuestion, enterProgrammeQuestionnaire, enterSessionQuestionnaire, openSessionCode } from '../../src/lib/server/outcomes/outcomes.service';
import { answerField, emptyQuestionnaire, type QuestionnaireKind, type QuestionnaireValues } from '../../src/lib/server/outcomes/outcomes.schema';
import { createLedProgramme, scheduleLeadSession, type ProgrammeWorld } from './booking-world';
import { makeBooking, makeSchool } from './factories';

// A programme with two statements and a session on Wednesday 20 March 2030 (booking-world's
// default) at which two schools hold places. Every time is explicit.

/** On the session's day, before it starts: when a lead opens a code. */
export const SESSION_DAY = new Date('2030-03-20T09:00:00Z');
export const SESSION_DATE = '2030-03-20';

export interface OutcomesWorld extends ProgrammeWorld {
	sessionId: string;
	schoolId: string;
	otherSchoolId: string;
	questionIds: [string, string];
}

export async function addQuestions(db: Kysely<DB>, world: ProgrammeWorld, wordings: string[]): Promise<string[]> {
	const ids: string[] = [];
	for (const wording of wordings) {
		const result = await addQuestion(db, world.lead, world.programmeId, { wording });
		if (!result.ok) throw new Error(`addQuestion refused: ${JSON.stringify(result)}`);
		ids.push(result.id);
	}
	return ids;
}

export async function makeOutcomesWorld(db: Kysely<DB>, capacity = '30'): Promise<OutcomesWorld> {
	const world = await createLedProgramme(db);
	const questionIds = (await addQuestions(db, world, ["I know who to tell if I'm worried about a friend online", 'I know what county lines means'])) as [
		string,
		string
	];
	const sessionId = await scheduleLeadSession(db, world, { capacity });
	const school = await makeSchool(db, { name: `Aycliffe Academy ${Math.random().toString(36).slice(2, 8)}` });
	const other = await makeSchool(db, { name: `Whitfield School ${Math.random().toString(36).slice(2, 8)}` });
	await makeBooking(db, { session_id: sessionId, school_id: school.id, places: 1, created_by: world.lead.id });
	await makeBooking(db, { session_id: sessionId, school_id: other.id, places: 1, created_by: world.lead.id });
	return { ...world, sessionId, schoolId: school.id, otherSchoolId: other.id, questionIds };
}

/** A questionnaire's form values: scores by question id (null or missing for not answered). */
export function answers(questionIds: readonly string[], scores: readonly (number | null)[], overrides: Partial<QuestionnaireValues> = {}): QuestionnaireValues {
	const values = emptyQuestionnaire(questionIds);
	questionIds.forEach((id, i) => {
		const score = scores[i];
		values.answers[id] = score === null || score === undefined ? '' : String(score);
	});
	return { ...values, ...overrides };
}

/** Types in an anonymous paper questionnaire at the world's session, or throws. */
export async function enterAnonymous(
	db: Kysely<DB>,
	world: OutcomesWorld,
	code: string,
	moment: 'before' | 'after',
	scores: (number | null)[],
	schoolId = world.schoolId
) {
	const result = await enterSessionQuestionnaire(
		db,
		world.lead,
		world.sessionId,
		'anonymous',
		answers(world.questionIds, scores, { matchingCode: code, moment, schoolId })
	);
	if (!result.ok) throw new Error(`enterSessionQuestionnaire refused: ${JSON.stringify(result)}`);
	return result.id;
}

/** Types in a questionnaire with no session, answered on a date, or throws. */
export async function enterUndated(
	db: Kysely<DB>,
	world: OutcomesWorld,
	kind: QuestionnaireKind,
	who: { code?: string; youngPersonId?: string },
	moment: 'before' | 'after',
	answeredOn: string,
	scores: (number | null)[]
) {
	const values = answers(world.questionIds, scores, {
		matchingCode: who.code ?? '',
		youngPersonId: who.youngPersonId ?? '',
		schoolId: world.schoolId,
		moment,
		answeredOn
	});
	const result = await enterProgrammeQuestionnaire(db, world.lead, world.programmeId, kind, values, new Date('2031-12-31T12:00:00Z'));
	if (!result.ok) throw new Error(`enterProgrammeQuestionnaire refused: ${JSON.stringify(result)}`);
	return result.id;
}

export async function openCode(db: Kysely<DB>, world: OutcomesWorld, minutes = '120', now = SESSION_DAY): Promise<string> {
	const result = await openSessionCode(db, world.lead, world.sessionId, minutes, now);
	if (!result.ok) throw new Error(`openSessionCode refused: ${JSON.stringify(result)}`);
	return result.code;
}

export { answerField };
