import type { FeedbackMoment } from '../db/schema';
import { field } from '../forms';
import { SCORES } from './workshop-feedback.rules';

// The workshop feedback form: for each moment, before and after, five boxes of how many
// parents and carers gave each score, named `before.1` ... `after.5`.

/** Five texts per moment, one per score, as typed. */
export type FeedbackValues = Record<FeedbackMoment, string[]>;

/** The form field of one moment's score, `before.3`; also the key of its error. */
export const feedbackField = (moment: FeedbackMoment, score: number) => `${moment}.${score}`;

export function feedbackValuesFromForm(form: FormData): FeedbackValues {
	const read = (moment: FeedbackMoment) => SCORES.map((score) => field(form, feedbackField(moment, score)));
	return { before: read('before'), after: read('after') };
}
