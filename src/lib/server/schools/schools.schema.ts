import { schoolPhases, schoolTowns, type SchoolPhase, type SchoolTown } from '../db/schema';
import type { FieldErrors } from '../result';
import { field, oneOf } from '../forms';
import type { SchoolFilter } from './schools.queries';

export interface SchoolInput {
	name: string;
	urn: string | null;
	phase: SchoolPhase;
	town: SchoolTown;
}

export type SchoolValues = Record<'name' | 'urn' | 'phase' | 'town', string>;

/**
 * Checks one school's fields, from a form or a CSV row; messages name the field as a person
 * would. A phase or town left out is asked for as the form asks for it (a list to select from)
 * or as a file's cell is filled in.
 */
export function validateSchool(values: SchoolValues, from: 'form' | 'file' = 'form'): { errors: FieldErrors; input: SchoolInput } {
	const errors: FieldErrors = {};
	const name = values.name.trim().replace(/\s+/g, ' ');
	const urn = values.urn.replace(/\s/g, '');
	const phase = values.phase.trim().toLowerCase();
	const town = values.town.trim();
	const matchedTown = schoolTowns.find((t) => t.toLowerCase() === town.toLowerCase());
	if (name === '') errors.name = 'Enter the school name';
	else if (name.length > 200) errors.name = 'School name must be 200 characters or fewer';
	if (urn !== '' && !/^[0-9]{6}$/.test(urn)) errors.urn = 'URN must be 6 digits, like 118765';
	if (phase === '') errors.phase = from === 'form' ? 'Select the school’s phase' : `Enter the phase, one of: ${schoolPhases.join(', ')}`;
	else if (!oneOf(schoolPhases, phase)) errors.phase = `Phase must be one of: ${schoolPhases.join(', ')}`;
	if (town === '') errors.town = from === 'form' ? 'Select the town the school is in' : `Enter the town, one of: ${schoolTowns.join(', ')}`;
	else if (!matchedTown) errors.town = `Town must be one of: ${schoolTowns.join(', ')}`;
	return {
		errors,
		input: { name, urn: urn === '' ? null : urn, phase: phase as SchoolPhase, town: (matchedTown ?? town) as SchoolTown }
	};
}

export function schoolValuesFromForm(form: FormData): SchoolValues {
	return { name: field(form, 'name'), urn: field(form, 'urn'), phase: field(form, 'phase'), town: field(form, 'town') };
}

/** The schools list's search and filters from the address: as typed, to show again, and as a filter. */
export function schoolFilterFromParams(params: URLSearchParams): {
	values: { search: string; phase: string; town: string; includeInactive: boolean; withoutContact: boolean };
	filter: SchoolFilter;
} {
	const search = (params.get('search') ?? '').trim().slice(0, 100);
	const phase = params.get('phase') ?? '';
	const town = params.get('town') ?? '';
	const includeInactive = params.get('inactive') === 'yes';
	const withoutContact = params.get('contact') === 'none';
	return {
		values: { search, phase, town, includeInactive, withoutContact },
		filter: {
			search: search || undefined,
			phase: oneOf(schoolPhases, phase) ? phase : undefined,
			town: oneOf(schoolTowns, town) ? town : undefined,
			includeInactive,
			withoutContact
		}
	};
}
