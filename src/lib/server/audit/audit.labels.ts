/**
 * The audit log in words an admin reads: "Booking cancelled", not "booking.cancelled".
 * Known actions have their own wording; any other is spelled out from its parts, so a new
 * action is readable the day it is added.
 */

const subjects: Record<string, string> = {
	attendance: 'Register',
	award: 'Award',
	booking: 'Booking',
	calendar_feed: 'Calendar feed',
	enrolment: 'Enrolment',
	invitation: 'Invitation',
	mentoring: 'Mentoring',
	mfa: 'Second factor',
	outcomes: 'Questionnaire',
	password: 'Password',
	password_change: 'Password change',
	password_reset: 'Password reset',
	pcc_return: 'PCC return',
	programme: 'Programme',
	report: 'Report',
	school: 'School',
	school_records: 'School records',
	session: 'Session',
	sign_in: 'Sign-in',
	user: 'User',
	workshop_feedback: 'Workshop feedback',
	young_person: 'Young person',
	access: 'Access'
};

const wordings: Record<string, string> = {
	'attendance.marked': 'Register taken',
	'attendance.changed': 'Register changed',
	'attendance.counted': 'Headcount entered',
	'attendance.count_changed': 'Headcount changed',
	'attendance.labels_renamed': 'Attendance labels renamed',
	'attendance.save_refused': 'Register save refused',
	'attendance.station_counted': 'Workstation headcount entered',
	'attendance.station_count_changed': 'Workstation headcount changed',
	'attendance.station_count_cleared': 'Workstation headcount cleared',
	'award.day_logged': 'Award day logged',
	'award.day_changed': 'Award day changed',
	'award.group_created': 'Award group created',
	'award.levels_renamed': 'Award level names changed',
	'booking.behalf_approved': 'Booking made on behalf approved',
	'booking.cancel_undone': 'Booking cancellation undone',
	'calendar_feed.revoked': 'Calendar feed stopped',
	'mfa.code_failed': 'Second factor code wrong',
	'mfa.code_replayed': 'Second factor code used twice',
	'mfa.set_up': 'Second factor set up',
	'mfa.set_up_failed': 'Second factor set-up failed',
	'mfa.throttled': 'Second factor: too many attempts',
	'mfa.recovery_code_used': 'Recovery code used',
	'mentoring.cohort_created': 'Mentoring cohort created',
	'mentoring.meeting_logged': 'Mentoring meeting logged',
	'mentoring.paired': 'Mentor and mentee paired',
	'outcomes.code_opened': 'Session code opened',
	'outcomes.code_closed': 'Session code closed',
	'outcomes.public_answered': 'Questionnaire answered with a session code',
	'outcomes.questionnaire_entered': 'Questionnaire entered',
	'password_change.wrong_current_password': 'Password change: current password wrong',
	'password_reset.throttled': 'Password reset: too many requests',
	'sign_in.succeeded': 'Signed in',
	'sign_in.failed': 'Sign-in failed',
	'sign_in.throttled': 'Sign-in: too many attempts',
	'sign_in.second_factor': 'Second factor code accepted',
	'user.invitation_resent': 'Invitation sent again',
	'young_person.erase': 'Young person erased',
	'young_person.subject_access_downloaded': 'Subject access export downloaded',
	'access.refused': 'Access refused (answered as not found)'
};

const sentence = (words: string) => words.replaceAll('_', ' ');

/** The action as a short sentence: "Booking cancelled". */
export function auditActionLabel(action: string): string {
	const known = wordings[action];
	if (known) return known;
	const dot = action.indexOf('.');
	if (dot < 0) return capitalise(sentence(action));
	const subject = action.slice(0, dot);
	const verb = sentence(action.slice(dot + 1).replaceAll('.', ' '));
	return `${subjects[subject] ?? capitalise(sentence(subject))} ${verb}`;
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const recordTypes: Record<string, string> = {
	audit_event: 'Audit entry',
	award_group: 'Award group',
	award_participant: 'Award participant',
	booking: 'Booking',
	calendar_feed: 'Calendar feed',
	enrolment: 'Enrolment',
	mentoring_cohort: 'Mentoring cohort',
	mentoring_meeting: 'Mentoring meeting',
	mentoring_pair: 'Mentoring pair',
	outbox_message: 'Email',
	outcome_question: 'Question',
	outcome_questionnaire: 'Questionnaire',
	outcome_session_code: 'Session code',
	pcc_return: 'PCC return',
	programme: 'Programme',
	report: 'Report',
	school: 'School',
	session: 'Session',
	station: 'Workstation',
	user: 'User',
	young_person: 'Young person'
};

/** The kind of record, for a record the log can no longer name: "Booking". */
export function auditRecordTypeLabel(entityType: string): string {
	return recordTypes[entityType] ?? capitalise(sentence(entityType));
}

/**
 * An entry's details as a line an admin reads: "Second factor: remembered device; places: 30".
 * Keys lose their underscores; a value that is a code word ("remembered_device") does too.
 */
export function auditDetailText(detail: Record<string, unknown>): string {
	const key = (name: string) => sentence(name.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase());
	const word = (value: unknown): string => {
		if (Array.isArray(value)) return value.map(word).join(', ');
		if (typeof value === 'boolean') return value ? 'yes' : 'no';
		if (value === null || value === undefined) return 'none';
		if (typeof value === 'object')
			return `(${Object.entries(value)
				.map(([name, inner]) => `${key(name)} ${word(inner)}`)
				.join(', ')})`;
		const text = String(value);
		return /^[a-z]+(_[a-z]+)+$/.test(text) ? sentence(text) : text;
	};
	return Object.entries(detail)
		.map(([name, value]) => `${capitalise(key(name))}: ${word(value)}`)
		.join('; ');
}
