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
	/** Years personal data is kept after the academic year of the last activity; undefined: left as it is (3 for a new programme). */
	retentionYears?: number;
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
	/** As typed; absent where a caller does not offer it. */
	retentionYears?: string;
}

export const RETENTION_MIN_YEARS = 1;
export const RETENTION_MAX_YEARS = 25;

/** A retention period in whole years from 1 to 25, or a message. */
export function validateRetentionYears(value: string): { error?: string; years?: number } {
	if (!/^\d{1,3}$/.test(value.trim())) return { error: 'Enter the retention period in whole years, from 1 to 25 years' };
	const years = Number(value.trim());
	if (years < RETENTION_MIN_YEARS || years > RETENTION_MAX_YEARS) return { error: 'The retention period must be from 1 to 25 years' };
	return { years };
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
		leadIds: all('leadIds'),
		retentionYears: field(form, 'retentionYears')
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
	const retention = values.retentionYears === undefined ? {} : validateRetentionYears(values.retentionYears);
	if (retention.error) errors.retentionYears = retention.error;
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
			leadIds: [...new Set(values.leadIds)],
			retentionYears: retention.years
		}
	};
}
