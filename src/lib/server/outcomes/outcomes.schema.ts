import { outcomeMoments, type OutcomeMoment } from '../db/schema';
import type { FieldErrors } from '../result';
import { field, oneOf } from '../forms';

// Input rules shared by the lead's entry pages and the public form. Young people never type
// their names or any free text: only a matching code, a school from a list, and scores.

export const WORDING_MIN = 5;
export const WORDING_MAX = 200;
/** A short set: longer ones are not finished at the end of a busy one-day event. */
export const MAX_QUESTIONS = 12;

export const scores = [1, 2, 3, 4, 5] as const;
export const scoreLabels: Record<(typeof scores)[number], string> = {
	1: 'Strongly disagree',
	2: 'Disagree',
	3: 'Neither agree nor disagree',
	4: 'Agree',
	5: 'Strongly agree'
};
export const momentLabels: Record<OutcomeMoment, string> = { before: 'Before the session or programme', after: 'After the session or programme' };

/** The form field of a question's answer; letters first so it is a valid element id. */
export const answerField = (questionId: string) => `answer-${questionId}`;

export function wordingProblem(wording: string): string | undefined {
	if (wording === '') return 'Enter the statement';
	if (wording.length < WORDING_MIN) return `The statement must be ${WORDING_MIN} characters or more`;
	if (wording.length > WORDING_MAX) return `The statement must be ${WORDING_MAX} characters or fewer`;
	return undefined;
}

/** Matching codes are compared in capitals and without spaces: "ab 12cd" is "AB12CD". */
export function normaliseMatchingCode(text: string): string {
	return text.replace(/\s+/g, '').toUpperCase();
}

export function matchingCodeProblem(code: string): string | undefined {
	if (code === '') return 'Enter a matching code';
	if (!/^[A-Z0-9]{4,8}$/.test(code)) return 'The matching code must be 4 to 8 letters or numbers, with no other characters';
	return undefined;
}

// Session codes avoid letters and digits that look alike (0 and O, 1, I and L).
export const SESSION_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const SESSION_CODE_LENGTH = 6;

/** A session code as typed: any case, spaces or a hyphen in the middle allowed. */
export function normaliseSessionCode(text: string): string {
	return text.replace(/[\s-]+/g, '').toUpperCase();
}

export function isSessionCodeShape(code: string): boolean {
	return code.length === SESSION_CODE_LENGTH && [...code].every((c) => SESSION_CODE_ALPHABET.includes(c));
}

/** A random session code, drawn without bias from the alphabet. */
export function generateSessionCode(): string {
	const limit = 256 - (256 % SESSION_CODE_ALPHABET.length);
	let code = '';
	while (code.length < SESSION_CODE_LENGTH) {
		const bytes = crypto.getRandomValues(new Uint8Array(16));
		for (const byte of bytes) {
			if (byte < limit && code.length < SESSION_CODE_LENGTH) code += SESSION_CODE_ALPHABET[byte % SESSION_CODE_ALPHABET.length];
		}
	}
	return code;
}

/** How long a lead may keep a session code open, in minutes: 2 hours unless chosen, 1 day at most. */
export const CODE_DURATIONS = [30, 60, 120, 240, 480, 1440] as const;
export const DEFAULT_CODE_MINUTES = 120;
export const durationLabel = (minutes: number) =>
	minutes < 60 ? `${minutes} minutes` : minutes === 60 ? '1 hour' : minutes === 1440 ? '1 day' : `${minutes / 60} hours`;

export type QuestionnaireKind = 'anonymous' | 'named';

/** A questionnaire as typed: every value a string, so a refused form comes back as it was. */
export interface QuestionnaireValues {
	youngPersonId: string;
	matchingCode: string;
	schoolId: string;
	moment: string;
	/** Only where there is no session: the date it was answered, YYYY-MM-DD. */
	answeredOn: string;
	/** By question id: '1' to '5', or '' when not answered. */
	answers: Record<string, string>;
}

/** A questionnaire form's values; answers from every `answer-<question id>` field sent (an unanswered one sends nothing). */
export function questionnaireValuesFromForm(form: FormData): QuestionnaireValues {
	const answers: Record<string, string> = {};
	for (const [name, value] of form.entries()) {
		if (name.startsWith('answer-') && typeof value === 'string') answers[name.slice('answer-'.length)] = value.trim();
	}
	return {
		youngPersonId: field(form, 'youngPersonId'),
		matchingCode: field(form, 'matchingCode'),
		schoolId: field(form, 'schoolId'),
		moment: field(form, 'moment'),
		answeredOn: field(form, 'answeredOn'),
		answers
	};
}

/** The question set page's forms: a new statement's wording ('wording'), or a statement's new wording ('newWording'). */
export function wordingFromForm(form: FormData, name: 'wording' | 'newWording' = 'wording'): string {
	return field(form, name);
}

/** The statement a question set form is about (change, move, retire). */
export function questionIdFromForm(form: FormData): string {
	return field(form, 'questionId');
}

/** How long to keep a session code open, in minutes, as chosen ('' when not). */
export function codeMinutesFromForm(form: FormData): string {
	return field(form, 'minutes');
}

/** The session code a lead closes. */
export function codeIdFromForm(form: FormData): string {
	return field(form, 'codeId');
}

/** The session code as typed on the public form (normalised by the service, shown back as typed). */
export function sessionCodeFromForm(form: FormData): string {
	return field(form, 'code');
}

export function emptyQuestionnaire(questionIds: readonly string[], answeredOn = ''): QuestionnaireValues {
	return { youngPersonId: '', matchingCode: '', schoolId: '', moment: '', answeredOn, answers: Object.fromEntries(questionIds.map((id) => [id, ''])) };
}

/**
 * Checks the moment and the answers of the questions in the set (numbered as shown). With
 * `requireAll`, every question needs an answer (the public form); otherwise at least one
 * (a paper questionnaire may have gaps).
 */
export function checkAnswers(
	values: QuestionnaireValues,
	questions: readonly { id: string }[],
	requireAll: boolean,
	errors: FieldErrors
): { moment?: OutcomeMoment; answers: { questionId: string; score: number }[] } {
	let moment: OutcomeMoment | undefined;
	if (oneOf(outcomeMoments, values.moment)) moment = values.moment;
	else errors.moment = 'Select before or after';
	const answers: { questionId: string; score: number }[] = [];
	questions.forEach((question, i) => {
		const text = values.answers[question.id] ?? '';
		if (text === '') {
			if (requireAll) errors[answerField(question.id)] = `Select an answer for statement ${i + 1}`;
		} else if (/^[1-5]$/.test(text)) answers.push({ questionId: question.id, score: Number(text) });
		else errors[answerField(question.id)] = `Select an answer for statement ${i + 1} from 1 to 5`;
	});
	if (!requireAll && answers.length === 0 && questions[0] && !Object.keys(errors).some((k) => k.startsWith('answer-'))) {
		errors[answerField(questions[0].id)] = 'Select an answer for at least one statement';
	}
	return { moment, answers };
}

/** The academic year of a date, by the calendar year it began (1 September). */
export function academicYearOfDate(date: string): number {
	const [year, month] = date.split('-').map(Number) as [number, number];
	return month >= 9 ? year : year - 1;
}
