import type { EnrolmentRole, EnrolmentStage, ProgrammeShape } from '../db/schema';
import { field } from '../forms';

/** Stages a young person can be enrolled at; completing or withdrawing is a later change of stage. */
export const startingStages: readonly EnrolmentStage[] = ['applied', 'enrolled', 'active'];
/** Stages that end an enrolment, and so carry an end date. */
export const endingStages: readonly EnrolmentStage[] = ['completed', 'withdrawn'];

/** Mentors and mentees belong to cohort programmes (peer mentoring); everyone else takes part. */
export function rolesFor(shape: ProgrammeShape): readonly EnrolmentRole[] {
	return shape === 'cohort' ? ['participant', 'mentor', 'mentee'] : ['participant'];
}

export interface EnrolValues {
	schoolId: string;
	youngPersonId: string;
	role: string;
	stage: string;
	startedOn: string;
}

export interface StageValues {
	stage: string;
	endedOn: string;
}

export function enrolValuesFromForm(form: FormData): EnrolValues {
	return {
		schoolId: field(form, 'schoolId'),
		youngPersonId: field(form, 'youngPersonId'),
		role: field(form, 'role'),
		stage: field(form, 'stage'),
		startedOn: field(form, 'startedOn')
	};
}

export function stageValuesFromForm(form: FormData): StageValues {
	return { stage: field(form, 'stage'), endedOn: field(form, 'endedOn') };
}
