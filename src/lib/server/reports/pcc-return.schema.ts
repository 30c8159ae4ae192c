import { field, rawField } from '../forms';

export interface NarrativeValues {
	programmeId: string;
	narrative: string;
}

/** A programme's narrative as typed: its spaces and line breaks are kept until it is saved. */
export function narrativeValuesFromForm(form: FormData): NarrativeValues {
	return { programmeId: field(form, 'programmeId'), narrative: rawField(form, 'narrative') };
}
