import { awardLevelCodes, type AwardLevelCode } from '../db/schema';
import { field } from '../forms';
import type { FieldErrors } from '../result';
import { defaultLevelLabels } from './awards.rules';

// The award pages' forms: each form's values as typed, and the checks that need nothing but
// the values. Checks against the records (a name taken, a young person not on the list) are
// the service's.

export type AwardLabelValues = Record<AwardLevelCode, string>;

export interface AwardGroupValues {
	name: string;
	leaderName: string;
	trustReference: string;
}

export interface ParticipantValues {
	youngPersonId: string;
	level: string;
}

export interface DayValues {
	day: string;
	challenges: string[];
}

const tidy = (s: string) => s.trim().replace(/\s+/g, ' ');

/** What the programme calls each level, tidied; a name for every level, 50 characters at most. */
export function validateAwardLabels(values: AwardLabelValues): { errors: FieldErrors; input: AwardLabelValues } {
	const errors: FieldErrors = {};
	const input = {} as AwardLabelValues;
	for (const code of awardLevelCodes) {
		const label = tidy(values[code]);
		if (label === '') errors[`label_${code}`] = `Enter a name for the ${defaultLevelLabels[code]} level`;
		else if (label.length > 50) errors[`label_${code}`] = `The name for the ${defaultLevelLabels[code]} level must be 50 characters or fewer`;
		input[code] = label;
	}
	return { errors, input };
}

export function validateAwardGroup(values: AwardGroupValues): { errors: FieldErrors; input: AwardGroupValues } {
	const errors: FieldErrors = {};
	const input = { name: tidy(values.name), leaderName: tidy(values.leaderName), trustReference: tidy(values.trustReference) };
	if (input.name === '') errors.name = 'Enter a name for the group';
	else if (input.name.length > 200) errors.name = 'The group name must be 200 characters or fewer';
	if (input.leaderName.length > 200) errors.leaderName = "The leader's name must be 200 characters or fewer";
	if (input.trustReference.length > 50) errors.trustReference = 'The John Muir Trust reference must be 50 characters or fewer';
	return { errors, input };
}

export function awardLabelValuesFromForm(form: FormData): AwardLabelValues {
	return { discovery: field(form, 'label_discovery'), explorer: field(form, 'label_explorer'), conserver: field(form, 'label_conserver') };
}

export function awardGroupValuesFromForm(form: FormData): AwardGroupValues {
	return { name: field(form, 'name'), leaderName: field(form, 'leaderName'), trustReference: field(form, 'trustReference') };
}

export function participantValuesFromForm(form: FormData): ParticipantValues {
	return { youngPersonId: field(form, 'youngPersonId'), level: field(form, 'level') };
}

/** A day logged for one participant: the participant's id comes with the form (one form per participant). */
export function dayValuesFromForm(form: FormData): { participantId: string; values: DayValues } {
	return {
		participantId: field(form, 'participantId'),
		values: { day: field(form, 'day'), challenges: form.getAll('challenges').filter((c): c is string => typeof c === 'string') }
	};
}

/** A sign-off: whose, and the date achieved ('' for today). */
export function signOffValuesFromForm(form: FormData): { participantId: string; achievedOn: string } {
	return { participantId: field(form, 'participantId'), achievedOn: field(form, 'achievedOn') };
}

/** A day logged for the whole group on its day page: the date, the challenges, and who took part. */
export function groupDayValuesFromForm(form: FormData): { day: string; challenges: string[]; participantIds: string[] } {
	const all = (name: string) => form.getAll(name).filter((v): v is string => typeof v === 'string');
	return { day: field(form, 'day'), challenges: all('challenges'), participantIds: all('participantIds') };
}
