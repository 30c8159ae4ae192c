import type { ColumnType, Generated, GeneratedAlways, Insertable, Selectable, Updateable } from 'kysely';

// Table types, written by hand to match migrations/. Kysely checks every query against these
// types, not against the database: tests/server/db/schema-types.test.ts compares them with the
// migrated database (tables, columns, types, nullability, defaults and the values of each
// CHECK ... IN list), so change both together.

/** A timestamptz without a default: an insert must give it. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamptz that defaults to now(): an insert may leave it out. */
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json = ColumnType<Record<string, unknown>, string | Record<string, unknown> | undefined, string>;

export const schoolPhases = ['primary', 'secondary', 'all-through', 'special', 'college'] as const;
export type SchoolPhase = (typeof schoolPhases)[number];
export const schoolTowns = ['Dover', 'Deal', 'Sandwich', 'Rural'] as const;
export type SchoolTown = (typeof schoolTowns)[number];
export const roles = ['admin', 'lead', 'school', 'viewer'] as const;
export type Role = (typeof roles)[number];
export const userStatuses = ['invited', 'active', 'deactivated'] as const;
export type UserStatus = (typeof userStatuses)[number];
export type TokenPurpose = 'invitation' | 'password_reset';
export type OutboxStatus = 'queued' | 'kept' | 'sent' | 'failed';

export interface SchoolTable {
	id: Generated<string>;
	name: string;
	urn: string | null;
	phase: SchoolPhase;
	town: SchoolTown;
	active: Generated<boolean>;
	created_at: CreatedAt;
	updated_at: DefaultedTimestamp;
	/** The name as search compares it: see migration 20261202T1700_search_keys. */
	search_key: GeneratedAlways<string>;
}

export interface AppUserTable {
	id: Generated<string>;
	email: string;
	name: string;
	role: Role;
	school_id: string | null;
	status: UserStatus;
	password_hash: string | null;
	created_at: CreatedAt;
	updated_at: DefaultedTimestamp;
	/** The name as search compares it: see migration 20261202T1700_search_keys. */
	search_key: GeneratedAlways<string>;
	/** The second factor's key, base32; null until set up. */
	totp_secret: ColumnType<string | null, string | null | undefined, string | null>;
	totp_enabled_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
	/** The 30-second step of the last code accepted: a code is never accepted twice. */
	totp_last_step: ColumnType<number | null, number | null | undefined, number | null>;
	/** When a long-deactivated account's name and address were removed: migration 20261203T0900_retention. */
	anonymised_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface AuthSessionTable {
	id: string;
	user_id: string;
	created_at: CreatedAt;
	expires_at: Timestamp;
	/** The password was right, the second factor not yet given. */
	second_factor_pending: Generated<boolean>;
}

export interface SecondFactorRecoveryCodeTable {
	id: GeneratedAlways<number>;
	user_id: string;
	code_hash: string;
	used_at: Date | null;
	created_at: CreatedAt;
}

export interface RememberedDeviceTable {
	id: string;
	user_id: string;
	created_at: CreatedAt;
	expires_at: Timestamp;
}

export interface UserTokenTable {
	id: string;
	user_id: string;
	purpose: TokenPurpose;
	expires_at: Date;
	used_at: Date | null;
	created_at: CreatedAt;
}

export interface SignInAttemptTable {
	id: GeneratedAlways<number>;
	at: CreatedAt;
	account: string;
	address: string;
	succeeded: boolean;
}

export interface AuditEventTable {
	id: GeneratedAlways<number>;
	at: CreatedAt;
	actor_id: string | null;
	action: string;
	entity_type: string | null;
	entity_id: string | null;
	detail: Json;
	address: string | null;
}

export interface OutboxMessageTable {
	id: Generated<string>;
	created_at: CreatedAt;
	to_address: string;
	subject: string;
	body_text: string | null;
	status: OutboxStatus;
	/** The last error, for a message still queued or given up. */
	error: string | null;
	attempts: Generated<number>;
	/** When a queued message may next be tried (migrations/20261202T1000_outbox_delivery.ts). */
	next_attempt_at: Date | null;
	sent_at: Date | null;
}

/** A daily job claimed for one UK day, by whichever server process got there first. */
export interface ScheduledRunTable {
	job: string;
	day: string;
	ran_at: DefaultedTimestamp;
}

export const programmeShapes = ['event', 'carousel', 'cohort', 'award', 'workshop'] as const;
export type ProgrammeShape = (typeof programmeShapes)[number];
export const partnershipPriorities = ['Domestic Abuse', 'Safeguarding', 'Safer Communities', 'Prevent', 'Serious Organised Crime'] as const;
export type PartnershipPriority = (typeof partnershipPriorities)[number];
export const yearGroups = ['R', 'Y1', 'Y2', 'Y3', 'Y4', 'Y5', 'Y6', 'Y7', 'Y8', 'Y9', 'Y10', 'Y11', 'Y12', 'Y13', 'parents', 'professionals'] as const;
export type YearGroup = (typeof yearGroups)[number];
export type RegisterKind = 'named' | 'headcount';
export const sessionStatuses = ['scheduled', 'cancelled', 'completed'] as const;
export type SessionStatus = (typeof sessionStatuses)[number];
export const bookingStatuses = ['requested', 'confirmed', 'waitlisted', 'cancelled'] as const;
export type BookingStatus = (typeof bookingStatuses)[number];

export interface ProgrammeTable {
	id: Generated<string>;
	name: string;
	shape: ProgrammeShape;
	description: Generated<string>;
	partnership_priority: PartnershipPriority;
	pcc_tags: ColumnType<string[], string[] | undefined, string[]>;
	year_groups: YearGroup[];
	register_kind: RegisterKind;
	active: Generated<boolean>;
	created_at: CreatedAt;
	updated_at: DefaultedTimestamp;
	/** Years personal data is kept after the academic year of the last activity (1-25): migration 20261203T0900_retention. */
	retention_years: Generated<number>;
}

export interface ProgrammeLeadTable {
	programme_id: string;
	user_id: string;
}

export interface ProgrammeSessionTable {
	id: Generated<string>;
	programme_id: string;
	starts_at: Timestamp;
	ends_at: Timestamp;
	venue: string;
	capacity: number;
	booking_opens_at: Timestamp;
	booking_closes_at: Timestamp;
	year_groups: YearGroup[];
	school_cap: number | null;
	requires_approval: Generated<boolean>;
	status: Generated<SessionStatus>;
	rotation_minutes: number | null;
	created_at: CreatedAt;
	updated_at: DefaultedTimestamp;
}

export interface StationTable {
	id: Generated<string>;
	session_id: string;
	position: number;
	name: string;
	theme: string;
	places: number;
}

export interface BookingTable {
	id: Generated<string>;
	session_id: string;
	school_id: string;
	year_group: YearGroup;
	places: number;
	confirmed_places: Generated<number>;
	status: BookingStatus;
	contact_name: string;
	contact_phone: string;
	class_names: Generated<string>;
	access_needs: Generated<string>;
	idempotency_key: string | null;
	queued_at: DefaultedTimestamp;
	created_by: string;
	/** Made by someone other than the school's own contact: widens no lead's reach until an admin approves it. */
	on_behalf: Generated<boolean>;
	approved_by: string | null;
	approved_at: Date | null;
	created_at: CreatedAt;
	updated_at: DefaultedTimestamp;
	cancelled_at: Date | null;
	/** The places a booking held when it was cancelled: what an undo gives back while they are free. */
	cancelled_confirmed_places: number | null;
	/** Waits for all its places at once: the waiting list passes over it until that many are free. */
	whole_only: Generated<boolean>;
	reminder_sent_at: Date | null;
}

export interface SchoolCalendarFeedTable {
	school_id: string;
	token_hash: string;
	/** When the current secret was made: a new one replaces the old. */
	created_at: DefaultedTimestamp;
	/** Who made it: the feed stops when their account is deactivated (null: made before this was kept). */
	created_by: string | null;
}

export const enrolmentRoles = ['participant', 'mentor', 'mentee'] as const;
export type EnrolmentRole = (typeof enrolmentRoles)[number];
export const enrolmentStages = ['applied', 'enrolled', 'active', 'completed', 'withdrawn'] as const;
export type EnrolmentStage = (typeof enrolmentStages)[number];
export const attendanceStatuses = ['present', 'late', 'left_early', 'absent_authorised', 'absent_unauthorised', 'absent_unknown'] as const;
export type AttendanceStatus = (typeof attendanceStatuses)[number];
/**
 * The statuses that count as attended. The database decides it in one function,
 * `counts_as_attended(status)`, which every figure calls; this list is what the register's
 * running totals use, and a test keeps the two the same.
 */
export const attendedStatuses: readonly AttendanceStatus[] = ['present', 'late', 'left_early'];
export type Gender = 'female' | 'male' | 'other' | 'not_said';

export interface YoungPersonTable {
	id: Generated<string>;
	school_id: string;
	first_name: string;
	last_name: string;
	reception_year: number;
	gender: Gender | null;
	sen: boolean | null;
	free_school_meals: boolean | null;
	created_at: CreatedAt;
	updated_at: DefaultedTimestamp;
	archived_at: Date | null;
	/** The name as search compares it: see migration 20261202T1700_search_keys. */
	search_key: GeneratedAlways<string>;
	/** When names and monitoring answers were removed (retention or erasure): migration 20261203T0900_retention. */
	anonymised_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface EnrolmentTable {
	id: Generated<string>;
	programme_id: string;
	young_person_id: string;
	role: EnrolmentRole;
	stage: EnrolmentStage;
	started_on: string;
	ended_on: string | null;
	/** Who enrolled them (none recorded before 2 December 2026): only an admin's enrolment widens a lead's reach. */
	created_by: string | null;
	created_at: CreatedAt;
	updated_at: DefaultedTimestamp;
}

export interface AttendanceMarkTable {
	session_id: string;
	young_person_id: string;
	status: AttendanceStatus;
	station_id: string | null;
	recorded_by: string;
	recorded_at: DefaultedTimestamp;
	/** Raised by one at every change: a save based on an older version is a conflict. */
	version: Generated<number>;
}

/** A change sent by a register kept on a device, by the id the device made: a re-send is answered, not applied again. */
export interface AttendanceClientChangeTable {
	client_id: string;
	session_id: string;
	recorded_by: string;
	/** SHA-256 of who sent it and what it said (session, young person, status, version it was based on; or for a count, the register, school, year group, count and version). */
	change_hash: string;
	outcome: 'saved' | 'conflict';
	applied_at: DefaultedTimestamp;
}

/** What a programme calls each attendance status, where it renamed it. */
export interface AttendanceStatusLabelTable {
	programme_id: string;
	status: AttendanceStatus;
	label: string;
}

export interface AttendanceHeadcountTable {
	session_id: string;
	school_id: string;
	year_group: YearGroup;
	count: number;
	recorded_by: string;
	recorded_at: DefaultedTimestamp;
	/** Raised by one at every change: a count sent from a device based on an older version is a conflict. */
	version: Generated<number>;
}

export interface DB {
	school: SchoolTable;
	app_user: AppUserTable;
	auth_session: AuthSessionTable;
	second_factor_recovery_code: SecondFactorRecoveryCodeTable;
	remembered_device: RememberedDeviceTable;
	user_token: UserTokenTable;
	sign_in_attempt: SignInAttemptTable;
	audit_event: AuditEventTable;
	outbox_message: OutboxMessageTable;
	scheduled_run: ScheduledRunTable;
	programme: ProgrammeTable;
	programme_lead: ProgrammeLeadTable;
	programme_session: ProgrammeSessionTable;
	station: StationTable;
	booking: BookingTable;
	school_calendar_feed: SchoolCalendarFeedTable;
	young_person: YoungPersonTable;
	enrolment: EnrolmentTable;
	attendance_mark: AttendanceMarkTable;
	attendance_client_change: AttendanceClientChangeTable;
	attendance_headcount: AttendanceHeadcountTable;
	attendance_status_label: AttendanceStatusLabelTable;
	mentoring_cohort: MentoringCohortTable;
	mentoring_pair: MentoringPairTable;
	mentoring_meeting: MentoringMeetingTable;
	award_group: AwardGroupTable;
	award_level: AwardLevelTable;
	award_participant: AwardParticipantTable;
	award_day: AwardDayTable;
	day_log_client_change: DayLogClientChangeTable;
}

/** A school as the app shows it; its search key stays in the database. */
export type School = Omit<Selectable<SchoolTable>, 'search_key'>;
export type NewSchool = Insertable<SchoolTable>;
export type SchoolUpdate = Updateable<SchoolTable>;
export type AppUser = Selectable<AppUserTable>;
export type Programme = Selectable<ProgrammeTable>;
export type ProgrammeSession = Selectable<ProgrammeSessionTable>;
export type Booking = Selectable<BookingTable>;
export type Station = Selectable<StationTable>;
export type YoungPerson = Selectable<YoungPersonTable>;

// Peer mentoring (migrations/20261127T1610_mentoring.ts).

export const mentoringTopics = ['cse', 'cce', 'gangs', 'risk_taking', 'online_safety', 'wellbeing', 'other'] as const;
export type MentoringTopic = (typeof mentoringTopics)[number];

export interface MentoringCohortTable {
	id: Generated<string>;
	programme_id: string;
	academic_year: number;
	max_mentees_per_mentor: Generated<number>;
	created_at: CreatedAt;
}

export const pairEndReasons = ['mentee_left', 'mentor_left', 'not_working', 'goals_met', 'other'] as const;
export type PairEndReason = (typeof pairEndReasons)[number];

export interface MentoringPairTable {
	id: Generated<string>;
	cohort_id: string;
	mentor_id: string;
	mentee_id: string;
	created_at: CreatedAt;
	ended_on: string | null;
	end_reason: PairEndReason | null;
}

export interface MentoringMeetingTable {
	id: Generated<string>;
	pair_id: string;
	met_on: string;
	minutes: number;
	topics: ColumnType<MentoringTopic[], MentoringTopic[] | undefined, MentoringTopic[]>;
	note: string | null;
	recorded_by: string;
	created_at: CreatedAt;
}

export type MentoringCohort = Selectable<MentoringCohortTable>;
export type MentoringPair = Selectable<MentoringPairTable>;
export type MentoringMeeting = Selectable<MentoringMeetingTable>;

export const awardLevelCodes = ['discovery', 'explorer', 'conserver'] as const;
export type AwardLevelCode = (typeof awardLevelCodes)[number];
export const awardChallenges = ['discover', 'explore', 'conserve', 'share'] as const;
export type AwardChallenge = (typeof awardChallenges)[number];

export interface AwardGroupTable {
	id: Generated<string>;
	programme_id: string;
	name: string;
	leader_name: Generated<string>;
	/** The John Muir Trust's reference for the group's proposal ('' until given). */
	trust_reference: Generated<string>;
	created_at: CreatedAt;
}

export interface AwardLevelTable {
	programme_id: string;
	code: AwardLevelCode;
	label: string;
}

export interface AwardParticipantTable {
	id: Generated<string>;
	award_group_id: string;
	young_person_id: string;
	level: AwardLevelCode;
	signed_off_by: string | null;
	signed_off_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
	/** YYYY-MM-DD. */
	achieved_on: string | null;
	created_at: CreatedAt;
}

export interface AwardDayTable {
	id: Generated<string>;
	award_participant_id: string;
	/** YYYY-MM-DD. */
	day: string;
	challenges: AwardChallenge[];
	recorded_by: string;
	created_at: CreatedAt;
	/** Raised by one at every change: a day logged on a device is based on it (migration 20261206T0100_day_log_client_change). */
	version: Generated<number>;
}

/** A meeting or an award day logged on a device without signal, by the id the device made: applied once (migration 20261206T0100_day_log_client_change). */
export interface DayLogClientChangeTable {
	client_id: string;
	programme_id: string;
	kind: 'meeting' | 'award_day';
	recorded_by: string;
	/** SHA-256 of who sent it and what it said (the pair or participant, the date, and the rest of the change). */
	change_hash: string;
	outcome: 'saved' | 'conflict';
	applied_at: DefaultedTimestamp;
}

// Station registers and workshop feedback (migrations/20261127T1700_station_headcount_workshop_feedback.ts).

export const feedbackMoments = ['before', 'after'] as const;
export type FeedbackMoment = (typeof feedbackMoments)[number];

export interface StationHeadcountTable {
	session_id: string;
	station_id: string;
	school_id: string;
	year_group: YearGroup;
	count: number;
	recorded_by: string;
	recorded_at: DefaultedTimestamp;
	/** Raised by one at every change: a count sent from a device based on an older version is a conflict. */
	version: Generated<number>;
}

export interface WorkshopFeedbackTable {
	session_id: string;
	moment: FeedbackMoment;
	/** 1 (not at all confident) to 5 (very confident). */
	score: number;
	count: number;
	recorded_by: string;
	recorded_at: DefaultedTimestamp;
}

export interface DB {
	station_headcount: StationHeadcountTable;
	workshop_feedback: WorkshopFeedbackTable;
}

// Before-and-after outcome questions (migrations/20261127T1800_outcome_questions.ts).

export const outcomeMoments = ['before', 'after'] as const;
export type OutcomeMoment = (typeof outcomeMoments)[number];

export interface OutcomeQuestionTable {
	id: Generated<string>;
	programme_id: string;
	position: number;
	wording: string;
	replaces_id: string | null;
	created_at: CreatedAt;
	retired_at: Date | null;
}

export interface OutcomeSessionCodeTable {
	id: Generated<string>;
	session_id: string;
	code: string;
	opened_by: string;
	opened_at: DefaultedTimestamp;
	expires_at: Date;
	closed_at: Date | null;
	closed_by: string | null;
}

export interface OutcomeQuestionnaireTable {
	id: Generated<string>;
	programme_id: string;
	session_id: string | null;
	school_id: string;
	young_person_id: string | null;
	/** 4-8 capital letters and digits; null when named. */
	matching_code: string | null;
	moment: OutcomeMoment;
	/** YYYY-MM-DD. */
	answered_on: string;
	academic_year: number;
	session_code_id: string | null;
	entered_by: string | null;
	created_at: CreatedAt;
}

export interface OutcomeAnswerTable {
	questionnaire_id: string;
	question_id: string;
	score: number;
}

export interface OutcomeCodeFailureTable {
	id: GeneratedAlways<number>;
	at: CreatedAt;
	address: string;
}

export interface DB {
	outcome_question: OutcomeQuestionTable;
	outcome_session_code: OutcomeSessionCodeTable;
	outcome_questionnaire: OutcomeQuestionnaireTable;
	outcome_answer: OutcomeAnswerTable;
	outcome_code_failure: OutcomeCodeFailureTable;
}

// The reports' rollup, rebuilt as a whole (migration 20261127T1900).
export interface ReportRollupTable {
	period_kind: 'academic' | 'financial' | 'quarter';
	/** YYYY-MM-DD. */
	period_start: string;
	/** The zero uuid for every programme. */
	programme_id: string;
	/** The zero uuid for every school. */
	school_id: string;
	sessions_delivered: Generated<number>;
	sessions_cancelled: Generated<number>;
	places_booked: Generated<number>;
	attended: Generated<number>;
	expected: Generated<number>;
	headcount_young_people: Generated<number>;
	parents: Generated<number>;
	professionals: Generated<number>;
	schools_reached: Generated<number>;
	named_young_people: Generated<number>;
	station_visits: Generated<number>;
	meetings: Generated<number>;
	meeting_minutes: Generated<number>;
	mentors: Generated<number>;
	mentees: Generated<number>;
	discovery: Generated<number>;
	explorer: Generated<number>;
	conserver: Generated<number>;
	/** On all-schools rows, schools reached by their phase now (migration 20261208T0100); 0 on a school's row. */
	reached_primary: Generated<number>;
	reached_secondary: Generated<number>;
	reached_all_through: Generated<number>;
	reached_special: Generated<number>;
	reached_college: Generated<number>;
}

export interface ReportRollupStateTable {
	id: ColumnType<boolean, never, never>;
	refreshed_at: Timestamp | null;
	took_ms: number | null;
	/** The last failed rebuild, if none has succeeded since (migration 20261202T1100). */
	last_failed_at: Timestamp | null;
	/** Its error, short and without personal data. */
	last_error: string | null;
}

export interface DB {
	report_rollup: ReportRollupTable;
	report_rollup_state: ReportRollupStateTable;
}

/**
 * Before-and-after outcomes kept by triggers as answers change (migration 20261210T0100): a
 * row per person and statement, counted on a day at a school.
 */
export interface OutcomePairTable {
	/** The matching key, `outcome_person(...)`: who the before and after belong to. */
	person: string;
	question_id: string;
	programme_id: string;
	before_score: number | null;
	after_score: number | null;
	/** YYYY-MM-DD: the after's day for a pair, otherwise the answer's own. */
	on_date: string;
	school_id: string;
}

/** What the outcomes rollups count for each statement: pairs, how they moved, and answers without their other half. */
export interface OutcomeCounts {
	pairs: number;
	improved: number;
	same: number;
	worse: number;
	total_change: number;
	total_before: number;
	unmatched_before: number;
	unmatched_after: number;
}

/** Those rows added up by programme, statement, school and day: what the reports read. */
export interface OutcomeRollupTable extends OutcomeCounts {
	programme_id: string;
	/** YYYY-MM-DD. */
	on_date: string;
	question_id: string;
	school_id: string;
}

/** outcome_rollup added up by month, every school together (migration 20261211T0100): the district's periods. */
export interface OutcomeMonthTable extends OutcomeCounts {
	programme_id: string;
	/** YYYY-MM-01. */
	month: string;
	question_id: string;
}

export interface DB {
	outcome_pair: OutcomePairTable;
	outcome_rollup: OutcomeRollupTable;
	outcome_month: OutcomeMonthTable;
}

export interface PccNarrativeTable {
	programme_id: string;
	/** YYYY-MM-DD: the period the narrative was written for. */
	period_from: string;
	period_to: string;
	narrative: string;
	updated_by: string;
	updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface DB {
	pcc_narrative: PccNarrativeTable;
}

/** One school term (Kent's): the holidays are the gaps between terms. */
export interface SchoolTermTable {
	id: Generated<string>;
	/** The academic year by the calendar year it starts in: 2026 is 2026-27. */
	academic_year: number;
	name: string;
	/** YYYY-MM-DD, the first and last days of the term, both in term. */
	first_day: string;
	last_day: string;
	/** Where the dates came from: Kent's published dates or a labelled approximation. */
	source: string;
	created_at: CreatedAt;
	updated_at: DefaultedTimestamp;
}

export interface DB {
	school_term: SchoolTermTable;
}
