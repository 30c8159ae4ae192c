import type { FeedbackMoment } from '../db/schema';
import { field } from '../forms';
import { SCORES } from './workshop-feedback.rules';

// The workshop feedback form: for each moment, before and after, five boxes of how many
// parents and carers gave each score, named `before.1` ... `after.5`, and for each moment a
// hidden `was.before` / `was.after`: its counts as the page showed them (countsText), so that a
// save writes only the moments its user changed, each checked against what they were shown.

/** Five texts per moment, one per score, as typed; and each moment's counts as the page showed them, if sent. */
export type FeedbackValues = Record<FeedbackMoment, string[]> & { was?: Record<FeedbackMoment, string> };

/** The hidden field of what a moment's boxes held when the page was opened. */
export const wasField = (moment: FeedbackMoment) => `was.${moment}`;

/** A moment's counts as one text, '0 2 5 3 1', or '' when the question was not asked then. */
export const countsText = (counts: readonly number[] | null | undefined): string => (counts ? counts.join(' ') : '');

/** The form field of one moment's score, `before.3`; also the key of its error. */
export const feedbackField = (moment: FeedbackMoment, score: number) => `${moment}.${score}`;

export function feedbackValuesFromForm(form: FormData): FeedbackValues {
	const read = (moment: FeedbackMoment) => SCORES.map((score) => field(form, feedbackField(moment, score)));
	// A page opened before the form carried them sends neither: every moment is then written, as it was.
	const shown = form.has(wasField('before')) && form.has(wasField('after'));
	return {
		before: read('before'),
		after: read('after'),
		...(shown ? { was: { before: field(form, wasField('before')), after: field(form, wasField('after')) } } : {})
	};
}
