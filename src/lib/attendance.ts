import type { AttendanceStatus } from './server/db/schema';

// What each attendance status is called unless a programme renames it (as award levels are
// renamed), and the short code a register's form sends for it: 802 rows of options are sent
// on the Youth Conference register, so each value is one letter.

export const defaultMarkLabels: Record<AttendanceStatus, string> = {
	present: 'Present',
	late: 'Late',
	left_early: 'Left early',
	absent_authorised: 'Absent (authorised)',
	absent_unauthorised: 'Absent (unauthorised)',
	absent_unknown: 'Absent (reason unknown)'
};

export type MarkLabels = Record<AttendanceStatus, string>;

/** The one-letter code of each status on a register form, in the order the register offers them. */
export const markCodes: Record<AttendanceStatus, string> = {
	present: 'p',
	late: 'l',
	left_early: 'e',
	absent_authorised: 'a',
	absent_unauthorised: 'u',
	absent_unknown: 'k'
};

export const statusOfCode: Record<string, AttendanceStatus | undefined> = Object.fromEntries(
	Object.entries(markCodes).map(([status, code]) => [code, status as AttendanceStatus])
);
