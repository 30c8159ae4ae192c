import type { AttendanceStatus, EnrolmentRole, EnrolmentStage, Gender } from '$lib/server/db/schema';
import { defaultMarkLabels } from '$lib/attendance';

// Words for young people's records, shared by their pages and the enrolments pages.

export const genderLabels: Record<Gender, string> = { female: 'Female', male: 'Male', other: 'Other', not_said: 'Prefers not to say' };

export const enrolmentRoleLabels: Record<EnrolmentRole, string> = { participant: 'Participant', mentor: 'Mentor', mentee: 'Mentee' };

export const enrolmentStageLabels: Record<EnrolmentStage, string> = {
	applied: 'Applied',
	enrolled: 'Enrolled',
	active: 'Active',
	completed: 'Completed',
	withdrawn: 'Withdrawn'
};

export const enrolmentStageTags: Record<EnrolmentStage, string> = {
	applied: 'govuk-tag--light-blue',
	enrolled: 'govuk-tag--blue',
	active: 'govuk-tag--green',
	completed: 'govuk-tag--grey',
	withdrawn: 'govuk-tag--orange'
};

/** The statuses by their default names: a young person's page spans programmes, each of which may rename them. */
export const markLabels: Record<AttendanceStatus, string> = defaultMarkLabels;

/** Yes, No or Not recorded, for the optional equality-monitoring answers. */
export function yesNo(value: boolean | null): string {
	return value === null ? 'Not recorded' : value ? 'Yes' : 'No';
}
