import {
	partnershipPriorities,
	programmeShapes,
	yearGroups,
	type PartnershipPriority,
	type ProgrammeShape,
	type RegisterKind,
	type YearGroup
} from '../db/schema';
import type { FieldErrors } from '../result';
import { field, oneOf, UUID } from '../forms';

export interface ProgrammeInput {
	name: string;
	shape: ProgrammeShape;
	description: string;
	partnershipPriority: PartnershipPriority;
	pccTags: string[];
	yearGroups: YearGroup[];
	registerKind: RegisterKind;
	leadIds: string[];
}

export interface ProgrammeValues {
	name: string;
	shape: string;
	description: string;
	partnershipPriority: string;
	pccTags: string;
	yearGroups: string[];
	registerKind: string;
	leadIds: string[];
}

export function programmeValuesFromForm(form: FormData): ProgrammeValues {
	const all = (name: string) => form.getAll(name).filter((v): v is string => typeof v === 'string');
	return {
		name: field(form, 'name'),
		shape: field(form, 'shape'),
		description: field(form, 'description'),
		partnershipPriority: field(form, 'partnershipPriority'),
		pccTags: field(form, 'pccTags'),
		yearGroups: all('yearGroups'),
		registerKind: field(form, 'registerKind'),
		leadIds: all('leadIds')
	};
}

/** The PCC plan priority tags, one per line (commas also separate them), without repeats. */
export function parseTags(text: string): string[] {
	const tags = text
		.split(/[\n,]/)
		.map((t) => t.trim().replace(/\s+/g, ' '))
		.filter(Boolean);
	return [...new Map(tags.map((t) => [t.toLowerCase(), t])).values()];
}

export function validateProgramme(values: ProgrammeValues): { errors: FieldErrors; input: ProgrammeInput } {
	const errors: FieldErrors = {};
	if (values.name === '') errors.name = 'Enter the programme name';
	else if (values.name.length > 200) errors.name = 'Programme name must be 200 characters or fewer';
	if (!oneOf(programmeShapes, values.shape)) errors.shape = 'Select the kind of programme';
	if (values.description.length > 2000) errors.description = 'Description must be 2,000 characters or fewer';
	if (!oneOf(partnershipPriorities, values.partnershipPriority)) errors.partnershipPriority = 'Select the partnership priority';
	const pccTags = parseTags(values.pccTags);
	if (pccTags.some((t) => t.length > 100)) errors.pccTags = 'Each PCC priority must be 100 characters or fewer';
	const groups = values.yearGroups.filter((g) => oneOf(yearGroups, g));
	if (groups.length === 0 || groups.length !== values.yearGroups.length) errors.yearGroups = 'Select at least one year group';
	if (values.registerKind !== 'named' && values.registerKind !== 'headcount') errors.registerKind = 'Select how attendance is recorded';
	if (values.leadIds.some((id) => !UUID.test(id))) errors.leadIds = 'Select leads from the list';
	return {
		errors,
		input: {
			name: values.name,
			shape: values.shape as ProgrammeShape,
			description: values.description,
			partnershipPriority: values.partnershipPriority as PartnershipPriority,
			pccTags,
			yearGroups: yearGroups.filter((g) => groups.includes(g)),
			registerKind: values.registerKind as RegisterKind,
			leadIds: [...new Set(values.leadIds)]
		}
	};
}
