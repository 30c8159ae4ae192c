import type { AttendanceStatus, EnrolmentRole, EnrolmentStage, Gender } from '$lib/server/db/schema';

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

export const markLabels: Record<AttendanceStatus, string> = {
	present: 'Present',
	late: 'Late',
	excused: 'Excused absence',
	unexcused: 'Unexcused absence'
};

/** Yes, No or Not recorded, for the optional equality-monitoring answers. */
export function yesNo(value: boolean | null): string {
	return value === null ? 'Not recorded' : value ? 'Yes' : 'No';
}
