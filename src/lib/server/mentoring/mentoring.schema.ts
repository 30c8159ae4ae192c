import { field } from '../forms';

// The mentoring page's three forms: a cohort, a pairing and a meeting, each as typed.

export interface CohortValues {
	academicYear: string;
	maxMentees: string;
}
export interface PairValues {
	mentorId: string;
	menteeId: string;
}
export interface MeetingValues {
	pairId: string;
	metOn: string;
	minutes: string;
	topics: string[];
	note: string;
}

export function cohortValuesFromForm(form: FormData): CohortValues {
	return { academicYear: field(form, 'academicYear'), maxMentees: field(form, 'maxMentees') };
}
export function pairValuesFromForm(form: FormData): PairValues {
	return { mentorId: field(form, 'mentorId'), menteeId: field(form, 'menteeId') };
}
export function meetingValuesFromForm(form: FormData): MeetingValues {
	const topics = form.getAll('topics').filter((t): t is string => typeof t === 'string');
	const note = form.get('note');
	return {
		pairId: field(form, 'pairId'),
		metOn: field(form, 'metOn'),
		minutes: field(form, 'minutes'),
		topics,
		note: typeof note === 'string' ? note.trim() : ''
	};
}
